"""What the benchmark scripts share: a PostgreSQL database of their own."""

import os
from urllib.parse import unquote, urlsplit


def create_database_if_missing(database_url: str, log=print) -> None:
    """Create the database `database_url` names when the server does not have it yet."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(database_url)
    name = unquote(parts.path.lstrip("/"))
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username) if parts.username else "postgres",
        password=unquote(parts.password) if parts.password else None,
        dbname="postgres",
        connect_timeout=5,
    )
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                log(f"Creating database {name}")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def setup_django(database_url: str) -> None:
    """Point Django at `database_url` and set it up, for a benchmark run as a script."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship_site.settings")
    import django

    django.setup()


def ensure_database(database_url: str, log=print) -> None:
    """Create the database when it does not exist, then migrate it."""
    create_database_if_missing(database_url, log=log)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
