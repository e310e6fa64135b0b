"""How fast the platform serves pages in its production shape.

Sets up a PostgreSQL database of its own (migrated, with the demo data), collects the
hashed static files into a temporary directory, then starts gunicorn once per
CONN_MAX_AGE value and drives a few pages with concurrent keep-alive clients:

    .venv/bin/python benchmarks/http_pages.py                 # readable table
    .venv/bin/python benchmarks/http_pages.py --json          # one JSON object

Progress goes to stderr; stdout carries only the table or the JSON object.
Needs PostgreSQL and Redis (the health check pings the Celery broker).
"""

import argparse
import json
import math
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests
from postgres import create_database_if_missing

PROJECT_DIR = Path(__file__).resolve().parent.parent
MANAGE_PY = PROJECT_DIR / "manage.py"

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mentorship_bench"
BROKER_URL = "redis://127.0.0.1:6379/12"
DEMO_EMAIL = "dana.mentee@example.org"
DEMO_PASSWORD = "mentoring-demo"
LOGIN_PATH = "/accounts/login/"
# Only a signed-in page carries the sign-out form: a 200 without it means the session was lost.
SIGNED_IN_MARKER = 'action="/accounts/logout/"'
STYLESHEET_RE = re.compile(r'href="(/static/bootstrap/css/bootstrap[^"]*\.css)"')

HEALTH_WAIT_SECONDS = 30.0
STOP_WAIT_SECONDS = 15.0
REQUEST_TIMEOUT = (3.05, 30.0)  # connect, read
SUBPROCESS_TIMEOUT_SECONDS = 600
WARMUP_REQUESTS_PER_CLIENT = 5
WARMUP_WAIT_SECONDS = 120.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Options -------------------------------------------------------------------------


def conn_max_age_list(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        message = f"expected whole numbers separated by commas: {text!r}"
        raise argparse.ArgumentTypeError(message) from None
    if not values or any(value < 0 for value in values):
        raise argparse.ArgumentTypeError(f"expected one or more numbers >= 0: {text!r}")
    return values


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {value}")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL database of the benchmark, created if missing (default: %(default)s)",
    )
    parser.add_argument(
        "--seconds",
        type=positive_float,
        default=5.0,
        help="measuring time per page (default: %(default)s)",
    )
    parser.add_argument(
        "--concurrency",
        type=positive_int,
        default=8,
        help="client threads (default: %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=2,
        help="gunicorn worker processes (default: %(default)s)",
    )
    parser.add_argument(
        "--conn-max-age",
        type=conn_max_age_list,
        default=[0, 600],
        help="CONN_MAX_AGE values, one server run each (default: 0,600)",
    )
    parser.add_argument(
        "--max-requests",
        type=positive_int,
        default=100_000,
        help="upper bound on measured requests per page and run (default: %(default)s)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser.parse_args(argv)


# --- Database, static files, server --------------------------------------------------


def ensure_database(database_url: str) -> None:
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"--database-url: expected a postgres:// address, got {database_url!r}")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise SystemExit("--database-url: the address names no database")
    create_database_if_missing(database_url)


def server_environment(database_url: str, tmp_dir: Path, secret_key: str) -> dict[str, str]:
    """A clean production-like environment: nothing leaks in from the caller's shell."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TZ") if name in os.environ}
    env.update(
        {
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "mentorship_site.settings",
            "DEBUG": "false",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_MANIFEST": "true",
            "STATIC_ROOT": str(tmp_dir / "static"),
            "VAR_DIR": str(tmp_dir / "var"),
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": BROKER_URL,
            "ACCOUNT_RATE_LIMITS_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(env: dict[str, str], *arguments: str) -> None:
    log(f"manage.py {' '.join(arguments)}")
    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), *arguments],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        log(result.stdout[-3000:])
        log(result.stderr[-3000:])
        raise SystemExit(f"manage.py {arguments[0]} failed (exit status {result.returncode})")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, tmp_dir: Path, log_file, access_log: Path
) -> subprocess.Popen:
    # The flags of the Dockerfile's command, bound to loopback with our worker count; the
    # access log goes to its own file so that errors stay readable in the other one.
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "mentorship_site.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        str(access_log),
        "--error-logfile",
        "-",
        "--worker-tmp-dir",
        str(tmp_dir),
        "--no-control-socket",
        "--timeout",
        "30",
        "--graceful-timeout",
        "10",
        "--max-requests",
        "1000",
        "--max-requests-jitter",
        "100",
    ]
    return subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT
    )


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        log(f"gunicorn (pid {process.pid}) did not stop in {STOP_WAIT_SECONDS:.0f}s: killing it")
        process.kill()
        process.wait(timeout=STOP_WAIT_SECONDS)


def tail(path: Path, characters: int = 3000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-characters:]
    except OSError:
        return ""


def wait_until_healthy(base_url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + HEALTH_WAIT_SECONDS
    last_problem = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log(tail(log_path))
            raise SystemExit(f"gunicorn exited with status {process.returncode} before /healthz")
        try:
            response = requests.get(f"{base_url}/healthz", timeout=REQUEST_TIMEOUT)
            if response.status_code == 200:
                return
            last_problem = f"status {response.status_code}: {response.text[:200]}"
        except requests.RequestException as exc:
            last_problem = str(exc)
        time.sleep(0.2)
    log(tail(log_path))
    raise SystemExit(f"/healthz not ready after {HEALTH_WAIT_SECONDS:.0f}s ({last_problem})")


# --- Clients ------------------------------------------------------------------------


@dataclass
class Client:
    anonymous: requests.Session
    signed_in: requests.Session

    def close(self) -> None:
        self.anonymous.close()
        self.signed_in.close()


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    signed_in: bool


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    requests: int = 0
    errors: Counter = field(default_factory=Counter)


def sign_in(base_url: str) -> requests.Session:
    """Sign the demo user in through the real form, as a browser does."""
    session = requests.Session()
    login_url = f"{base_url}{LOGIN_PATH}"
    form = session.get(login_url, timeout=REQUEST_TIMEOUT)
    form.raise_for_status()
    token = session.cookies.get("csrftoken")
    if not token:
        raise RuntimeError("the sign-in page set no csrftoken cookie")
    response = session.post(
        login_url,
        data={"csrfmiddlewaretoken": token, "login": DEMO_EMAIL, "password": DEMO_PASSWORD},
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    if response.status_code != 302 or not session.cookies.get("sessionid"):
        raise RuntimeError(f"sign-in failed: status {response.status_code}")
    home = session.get(f"{base_url}/", allow_redirects=False, timeout=REQUEST_TIMEOUT)
    if home.status_code != 200 or SIGNED_IN_MARKER not in home.text:
        raise RuntimeError("signed in, but the home page does not show the signed-in user")
    return session


def make_clients(base_url: str, count: int) -> list[Client]:
    """One signed-in and one anonymous session per client, signed in from the client's thread."""
    clients: list[Client | None] = [None] * count
    failures: list[BaseException] = []

    def work(index: int) -> None:
        try:
            clients[index] = Client(anonymous=requests.Session(), signed_in=sign_in(base_url))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        for client in clients:
            if client is not None:
                client.close()
        raise SystemExit(f"could not sign {len(failures)} client(s) in: {failures[0]}")
    return [client for client in clients if client is not None]


def fetch(session: requests.Session, url: str, page: Page) -> str | None:
    """One request; None when it answered 200 with the expected page, else what went wrong."""
    try:
        response = session.get(url, allow_redirects=False, timeout=REQUEST_TIMEOUT)
    except requests.RequestException as exc:
        return type(exc).__name__
    if response.status_code != 200:
        return str(response.status_code)
    if page.signed_in and SIGNED_IN_MARKER not in response.text:
        return "200 but not signed in"
    return None


def measure_page(
    base_url: str, clients: list[Client], page: Page, seconds: float, max_requests: int
) -> dict:
    url = f"{base_url}{page.path}"
    per_client_cap = math.ceil(max_requests / len(clients))
    tallies = [Tally() for _ in clients]
    clock: dict[str, float] = {}

    def start_clock() -> None:
        # Run by the barrier once, before it releases anyone: every client sees the deadline.
        clock["began"] = time.perf_counter()
        clock["deadline"] = clock["began"] + seconds

    start_line = threading.Barrier(len(clients), action=start_clock)
    failures: list[BaseException] = []

    def work(client: Client, tally: Tally) -> None:
        try:
            session = client.signed_in if page.signed_in else client.anonymous
            for _ in range(WARMUP_REQUESTS_PER_CLIENT):
                fetch(session, url, page)
            start_line.wait(timeout=WARMUP_WAIT_SECONDS)
            deadline = clock["deadline"]
            while tally.requests < per_client_cap and time.perf_counter() < deadline:
                began = time.perf_counter()
                problem = fetch(session, url, page)
                tally.latencies.append(time.perf_counter() - began)
                tally.requests += 1
                if problem is not None:
                    tally.errors[problem] += 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
            start_line.abort()

    threads = [
        threading.Thread(target=work, args=(client, tally))
        for client, tally in zip(clients, tallies, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{page.path}: a client failed: {failures[0]!r}")
    elapsed = time.perf_counter() - clock["began"]

    latencies = sorted(latency for tally in tallies for latency in tally.latencies)
    count = sum(tally.requests for tally in tallies)
    errors = sum((tally.errors for tally in tallies), Counter())
    return {
        "page": page.name,
        "path": page.path,
        "requests": count,
        "errors": errors.total(),
        # What the errors were: HTTP status, exception name, or a 200 that lost the session.
        "error_kinds": dict(errors.most_common()),
        "seconds": round(elapsed, 3),
        "req_per_s": round(count / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_ms": percentile_ms(latencies, 50),
        "p95_ms": percentile_ms(latencies, 95),
    }


def percentile_ms(sorted_seconds: list[float], percent: float) -> float | None:
    """Nearest-rank percentile, in milliseconds."""
    if not sorted_seconds:
        return None
    rank = max(1, math.ceil(percent / 100 * len(sorted_seconds)))
    return round(sorted_seconds[rank - 1] * 1000, 2)


def find_stylesheet(base_url: str) -> str:
    response = requests.get(f"{base_url}/", timeout=REQUEST_TIMEOUT)
    response.raise_for_status()
    match = STYLESHEET_RE.search(response.text)
    if not match:
        raise SystemExit("no Bootstrap stylesheet link in the home page")
    return match.group(1)


def run_server(
    options: argparse.Namespace, env: dict[str, str], tmp_dir: Path, conn_max_age: int
) -> list[dict]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = tmp_dir / f"gunicorn-conn-max-age-{conn_max_age}.log"
    run_env = {**env, "CONN_MAX_AGE": str(conn_max_age)}
    log(f"Starting gunicorn on {base_url} (CONN_MAX_AGE={conn_max_age})")
    with log_path.open("wb") as log_file:
        access_log = tmp_dir / f"access-conn-max-age-{conn_max_age}.log"
        process = start_gunicorn(run_env, port, options.workers, tmp_dir, log_file, access_log)
        clients: list[Client] = []
        try:
            wait_until_healthy(base_url, process, log_path)
            stylesheet = find_stylesheet(base_url)
            pages = [
                Page("home (anonymous)", "/", signed_in=False),
                Page("sign-in form (anonymous)", LOGIN_PATH, signed_in=False),
                Page("home / next step (signed in)", "/", signed_in=True),
                Page("account settings (signed in)", "/accounts/settings/", signed_in=True),
                Page("health check", "/healthz", signed_in=False),
                Page("static: Bootstrap CSS", stylesheet, signed_in=False),
            ]
            clients = make_clients(base_url, options.concurrency)
            results = []
            for page in pages:
                log(f"  {page.name}: {page.path}")
                result = measure_page(
                    base_url, clients, page, options.seconds, options.max_requests
                )
                results.append({"conn_max_age": conn_max_age, **result})
            if any(result["errors"] for result in results):
                log(f"Errors in this run; the end of gunicorn's log:\n{tail(log_path)}")
            return results
        finally:
            for client in clients:
                client.close()
            stop_gunicorn(process)


# --- Output -------------------------------------------------------------------------


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def redact(database_url: str) -> str:
    parts = urlsplit(database_url)
    if parts.password is None:
        return database_url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def print_table(report: dict) -> None:
    options = report["options"]
    print(
        f"HTTP pages, production shape: gunicorn {options['workers']} worker(s), "
        f"{options['concurrency']} client threads, {options['seconds']:g}s per page, "
        f"{report['cpu_count']} CPU(s)"
    )
    load = report["load_average_1min"]
    print(f"1-minute load average: {load['before']} before, {load['after']} after")
    headers = ("CONN_MAX_AGE", "page", "requests", "errors", "req/s", "p50 ms", "p95 ms")
    rows = [
        (
            str(row["conn_max_age"]),
            row["page"],
            str(row["requests"]),
            str(row["errors"]),
            f"{row['req_per_s']:.1f}",
            "-" if row["p50_ms"] is None else f"{row['p50_ms']:.1f}",
            "-" if row["p95_ms"] is None else f"{row['p95_ms']:.1f}",
        )
        for row in report["results"]
    ]
    widths = [max(len(line[column]) for line in [headers, *rows]) for column in range(7)]
    left_aligned = {1}

    def line(cells) -> str:
        return "  ".join(
            cell.ljust(width) if column in left_aligned else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )

    print(line(headers))
    print("  ".join("-" * width for width in widths))
    previous = None
    for row, cells in zip(report["results"], rows, strict=True):
        if previous is not None and row["conn_max_age"] != previous:
            print()
        previous = row["conn_max_age"]
        print(line(cells))
    errors = [row for row in report["results"] if row["errors"]]
    if errors:
        print()
        for row in errors:
            kinds = ", ".join(f"{kind}: {count}" for kind, count in row["error_kinds"].items())
            print(f"errors, CONN_MAX_AGE={row['conn_max_age']}, {row['page']}: {kinds}")


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    ensure_database(options.database_url)
    secret_key = secrets.token_urlsafe(48)  # 64 characters, new for every run
    with tempfile.TemporaryDirectory(prefix="mentorship-bench-") as tmp:
        tmp_dir = Path(tmp)
        (tmp_dir / "var").mkdir()
        env = server_environment(options.database_url, tmp_dir, secret_key)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput")
        results = []
        load_before = load_average()
        for conn_max_age in options.conn_max_age:
            results.extend(run_server(options, env, tmp_dir, conn_max_age))
    report = {
        "cpu_count": os.cpu_count(),
        # The clients share the machine with the server; other work skews the figures.
        "load_average_1min": {"before": load_before, "after": load_average()},
        "options": {
            "database_url": redact(options.database_url),
            "seconds": options.seconds,
            "concurrency": options.concurrency,
            "workers": options.workers,
            "conn_max_age": options.conn_max_age,
            "max_requests": options.max_requests,
        },
        "results": results,
    }
    if options.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
