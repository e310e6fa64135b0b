"""Settings come from the environment and fail loudly, naming the variable."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mentorship_site.env import env_bool, env_choice, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("reader", "value", "expected"),
    [
        (lambda: env_bool("FLAG", False), "yes", True),
        (lambda: env_bool("FLAG", True), "off", False),
        (lambda: env_bool("FLAG", True), "", True),
        (lambda: env_int("FLAG", 3), " 42 ", 42),
        (lambda: env_list("FLAG", []), "a.example, b.example,,", ["a.example", "b.example"]),
        (lambda: env_choice("FLAG", "smtp", ("smtp", "file")), "file", "file"),
        (lambda: env_str("FLAG", "default"), "", "default"),
    ],
)
def test_readers_parse_good_values(monkeypatch, reader, value, expected):
    monkeypatch.setenv("FLAG", value)
    assert reader() == expected


@pytest.mark.parametrize(
    ("reader", "value"),
    [
        (lambda: env_bool("FLAG", False), "maybe"),
        (lambda: env_int("FLAG", 3), "three"),
        (lambda: env_int("FLAG", 3, minimum=1), "0"),
        (lambda: env_choice("FLAG", "smtp", ("smtp", "file")), "pigeon"),
    ],
)
def test_readers_name_the_variable_on_a_bad_value(monkeypatch, reader, value):
    monkeypatch.setenv("FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="^FLAG: "):
        reader()


def test_a_secret_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t-from-a-file\n")
    monkeypatch.delenv("TOKEN", raising=False)
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    assert env_str("TOKEN", allow_file=True) == "s3cr3t-from-a-file"
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="^TOKEN_FILE: "):
        env_str("TOKEN", allow_file=True)


def run_check(**env):
    unset = {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_the_platform_refuses_to_start_on_a_bad_setting():
    result = run_check(DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG: expected true or false, got 'perhaps'" in result.stderr


def test_production_requires_a_secret_key():
    result = run_check(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) is required" in result.stderr


def test_a_malformed_database_url_is_named():
    result = run_check(DATABASE_URL="mysterydb://nowhere")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_the_readme_documents_every_environment_variable():
    import re
    from pathlib import Path

    source = Path(settings.BASE_DIR, "mentorship_site", "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z_]+)"', source))
    readme = Path(settings.BASE_DIR, "README.md").read_text()
    undocumented = sorted(name for name in names if f"`{name}`" not in readme)
    assert names and undocumented == []
