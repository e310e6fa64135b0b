"""The production topology of docker-compose.yml, proven without a Docker engine.

The compose services run gunicorn, a Celery worker and Celery beat from one image with
DEBUG=false, behind a TLS-terminating proxy, on PostgreSQL, Redis and a mail catcher.
These tests start the same commands as subprocesses with the same kind of environment:
the pytest test database stands in for the db service, Redis database 13 for the redis
service, and an aiosmtpd server inside this process for the mail service.
"""

import contextlib
import email
import email.policy
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit
from uuid import uuid4

import pytest
import redis
import requests
from aiosmtpd.controller import Controller
from django.db import connection
from django_celery_beat.models import PeriodicTask

from mentorship_site.mail.models import OutboundEmail

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A Redis database of its own (the suite's broker is database 14), flushed before use.
# The cache shares it, as the compose stack shares its Redis: key names do not overlap.
TOPOLOGY_REDIS_URL = "redis://127.0.0.1:6379/13"
STARTUP_SECONDS = 60
MAIL_SECONDS = 30
COMMAND_SECONDS = 90
HTTP_TIMEOUT_SECONDS = 10
POLL_SECONDS = 0.2
# What docker-compose.yml runs; the image's own default command is the gunicorn one.
LONG_RUNNING_SERVICES = {"web", "worker", "beat", "db", "redis", "mail"}
ALL_SERVICES = LONG_RUNNING_SERVICES | {"migrate"}
# Variables from the calling environment that the subprocesses may see: nothing that
# configures the platform leaks in from the test run (which has DEBUG=true and more).
INHERITED_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "USER")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(condition, what: str, *, seconds: float, processes=()):
    """Poll `condition` until it returns something truthy, a process dies, or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        dead = [process for process in processes if not process.is_running()]
        if dead:
            pytest.fail(
                f"{', '.join(p.name for p in dead)} exited while waiting for {what}\n"
                + _logs(processes)
            )
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds}s waiting for {what}\n" + _logs(processes))
        time.sleep(POLL_SECONDS)


def _logs(processes) -> str:
    return "\n".join(process.describe() for process in processes)


@contextlib.contextmanager
def _logs_on_failure(*processes):
    """Print the subprocesses' output (shown by pytest for a failing test), then re-raise."""
    try:
        yield
    except pytest.fail.Exception:
        raise  # from _wait_until, which puts the output in its message
    except BaseException:
        print(_logs(processes))
        raise


class Service:
    """One subprocess of the topology, its output in a file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_dir: Path):
        self.name = name
        self.command = command
        self.log_path = log_dir / f"{name}.log"
        with self.log_path.open("wb") as log:
            self.popen = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group: gunicorn's and Celery's children go with it.
                start_new_session=True,
            )

    def is_running(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def describe(self) -> str:
        state = "running" if self.is_running() else f"exited with {self.popen.returncode}"
        return f"===== {self.name} ({state}): {' '.join(self.command)}\n{self.output()}"

    def stop(self) -> None:
        if self.is_running():
            self.popen.terminate()
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)


class MailCatcher:
    """The compose stack's mail service: an SMTP server that keeps what it receives."""

    def __init__(self):
        self._lock = threading.Lock()
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self._lock:
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def messages_to(self, address: str) -> list[email.message.EmailMessage]:
        with self._lock:
            return [message for recipients, message in self.received if address in recipients]


class BehindTlsProxy:
    """A browser as the platform sees it through the TLS proxy.

    The transport here is plain HTTP, so the proxy's "X-Forwarded-Proto: https" is added
    to every request, and the cookies, which the platform marks Secure, are sent
    explicitly (requests would keep Secure cookies off an http:// URL).
    """

    def __init__(self, port: int):
        self.base_url = f"http://127.0.0.1:{port}"
        self.origin = f"https://127.0.0.1:{port}"
        self.session = requests.Session()

    def request(self, method: str, path: str, *, headers=None, **kwargs) -> requests.Response:
        sent_headers = {
            "X-Forwarded-Proto": "https",
            "Origin": self.origin,
            "Referer": f"{self.origin}{path}",
        }
        if self.session.cookies:
            sent_headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
        sent_headers.update(headers or {})
        return self.session.request(
            method,
            f"{self.base_url}{path}",
            headers=sent_headers,
            allow_redirects=False,
            timeout=HTTP_TIMEOUT_SECONDS,
            **kwargs,
        )

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)


class Production:
    """The environment every service of the topology gets, as compose's env_file gives it."""

    def __init__(self, env: dict[str, str], port: int, log_dir: Path):
        self.env = env
        self.port = port
        self.log_dir = log_dir

    def python(self, *arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *arguments],
            cwd=PROJECT_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
        )

    def manage(self, *arguments: str) -> subprocess.CompletedProcess:
        return self.python("manage.py", *arguments)

    def celery(self, *arguments: str) -> subprocess.CompletedProcess:
        return self.python("-m", "celery", "-A", "mentorship_site", *arguments)

    def start(self, name: str, command: list[str]) -> Service:
        return Service(name, command, self.env, self.log_dir)


def _database_url() -> str:
    """The pytest test database, as a DATABASE_URL for the subprocesses."""
    database = connection.settings_dict
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the production topology runs on PostgreSQL (run the suite with `make test`)")
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(database['NAME'], safe='')}"


def _compose_python_check(marker: str) -> str:
    """The code of the `python -c` health check in docker-compose.yml that contains `marker`."""
    compose = (PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    checks = [
        code for code in re.findall(r'^\s+- "(import [^"]+)"$', compose, re.M) if marker in code
    ]
    assert len(checks) == 1, f"expected one python health check containing {marker!r}"
    return checks[0]


def _flush_topology_redis() -> None:
    client = redis.Redis.from_url(TOPOLOGY_REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()


@pytest.fixture(scope="module")
def mail_catcher():
    catcher = MailCatcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield catcher, controller.port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def production(django_db_setup, mail_catcher, tmp_path_factory):
    """Production settings for the subprocesses, static files collected, migrations applied."""
    _, smtp_port = mail_catcher
    port = _free_port()
    var_dir = tmp_path_factory.mktemp("var")
    static_root = tmp_path_factory.mktemp("static")
    env = {name: os.environ[name] for name in INHERITED_VARIABLES if name in os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "mentorship_site.settings",
            "PYTHONPATH": str(PROJECT_ROOT),
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "false",
            "SECRET_KEY": f"topology-test-{uuid4().hex}-{uuid4().hex}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
            "SITE_URL": f"https://127.0.0.1:{port}",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": TOPOLOGY_REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CACHE_URL": TOPOLOGY_REDIS_URL,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_TIMEOUT": "10",
            "DEFAULT_FROM_EMAIL": "Mentorship <mentorship@example.org>",
            "STATIC_MANIFEST": "true",
            "STATIC_ROOT": str(static_root),
            "VAR_DIR": str(var_dir),
            "LOG_LEVEL": "INFO",
        }
    )
    production = Production(env, port, tmp_path_factory.mktemp("logs"))

    # What the image build and the compose "migrate" service do before anything starts.
    for step in (["collectstatic", "--noinput"], ["migrate", "--noinput"]):
        result = production.manage(*step)
        output = f"{result.stdout}{result.stderr}"
        assert result.returncode == 0, f"manage.py {' '.join(step)}:\n{output}"
    assert (static_root / "staticfiles.json").is_file()
    return production


@pytest.fixture
def topology_redis():
    _flush_topology_redis()
    yield TOPOLOGY_REDIS_URL
    _flush_topology_redis()


@pytest.fixture
def web(transactional_db, production, topology_redis):
    """The web service: gunicorn, 2 workers, answering /healthz with 200."""
    service = production.start(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mentorship_site.wsgi",
            "--bind",
            f"127.0.0.1:{production.port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            "--no-control-socket",
        ],
    )
    try:

        def healthy():
            try:
                response = requests.get(
                    f"http://127.0.0.1:{production.port}/healthz", timeout=HTTP_TIMEOUT_SECONDS
                )
            except requests.RequestException:
                return False
            return response.status_code == 200

        _wait_until(healthy, "/healthz to answer 200", seconds=STARTUP_SECONDS, processes=[service])
        yield service
    finally:
        service.stop()


@pytest.fixture
def worker_and_beat(transactional_db, production, topology_redis):
    """The worker and beat services, both up: the worker answers a ping, beat wrote its schedule."""
    # As the compose worker service runs it, with a bounded pool for the test machine.
    worker = production.start(
        "worker",
        [sys.executable, "-m", "celery", "-A", "mentorship_site", "worker"]
        + ["--loglevel", "INFO", "--concurrency", "2"],
    )
    beat = production.start(
        "beat",
        [sys.executable, "-m", "celery", "-A", "mentorship_site", "beat", "--loglevel", "INFO"],
    )
    services = [worker, beat]
    try:
        _wait_until(
            lambda: " ready." in worker.output(),
            "the worker to be ready",
            seconds=STARTUP_SECONDS,
            processes=services,
        )
        # The worker service's health check, with the worker's default node name.
        node = f"celery@{socket.gethostname()}"
        ping = production.celery("inspect", "ping", "--timeout", "10", "--destination", node)
        assert ping.returncode == 0, f"{ping.stdout}{ping.stderr}\n{_logs(services)}"
        assert "pong" in ping.stdout
        # The DatabaseScheduler copies CELERY_BEAT_SCHEDULE into the database on start.
        _wait_until(
            lambda: PeriodicTask.objects.filter(name="mail-redeliver-stalled").exists(),
            "beat to store its schedule through the DatabaseScheduler",
            seconds=STARTUP_SECONDS,
            processes=services,
        )
        # The beat service's health check.
        check = production.python("-c", _compose_python_check("broker_is_up"))
        assert check.returncode == 0, f"{check.stdout}{check.stderr}"
        yield worker, beat
    finally:
        for service in services:
            service.stop()


def test_compose_file_is_valid(tmp_path):
    """docker-compose accepts the file with an env file made from .env.example."""
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose is not on PATH (Debian package docker-compose)")
    # A copy, so that no .env (possibly holding real secrets) is created in the project.
    shutil.copy(PROJECT_ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(PROJECT_ROOT / ".env.example", tmp_path / ".env")
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("COMPOSE_", "DOCKER_", "POSTGRES_"))
    }

    def compose(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["docker-compose", "--file", str(tmp_path / "docker-compose.yml"), *arguments],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
        )

    validated = compose("config", "-q")
    assert validated.returncode == 0, validated.stderr
    services = compose("config", "--services")
    assert services.returncode == 0, services.stderr
    assert set(services.stdout.split()) == ALL_SERVICES

    resolved = compose("config")
    assert resolved.returncode == 0, resolved.stderr
    blocks = _service_blocks(resolved.stdout)
    for name in LONG_RUNNING_SERVICES:
        assert "    healthcheck:\n" in blocks[name], f"{name} has no health check"
        assert "disable: true" not in blocks[name], f"{name} disables its health check"
    for name in ("web", "worker", "beat"):
        assert "service_completed_successfully" in blocks[name], f"{name} does not wait for migrate"
        assert 'DEBUG: "false"' in blocks[name]
    assert "- migrate" in blocks["migrate"] and "- --noinput" in blocks["migrate"]


def _service_blocks(config: str) -> dict[str, str]:
    """Split `docker-compose config` output into the text of each service."""
    blocks: dict[str, list[str]] = {}
    current = None
    in_services = False
    for line in config.splitlines():
        if not line.startswith(" "):
            in_services = line == "services:"
            current = None
            continue
        header = re.fullmatch(r"  ([\w.-]+):", line)
        if in_services and header:
            current = header.group(1)
            blocks[current] = []
        elif in_services and current:
            blocks[current].append(line)
    return {name: "\n".join(lines) + "\n" for name, lines in blocks.items()}


@pytest.mark.worker
def test_deploy_checks_pass_with_production_settings(production):
    result = production.manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, f"{result.stdout}{result.stderr}"


@pytest.mark.worker
def test_web_behind_the_tls_proxy(web, production):
    """HTTPS is enforced except for /healthz, HSTS is sent, static files come from the manifest."""
    port = production.port
    with _logs_on_failure(web):
        plain = requests.get(
            f"http://127.0.0.1:{port}/accounts/signup/",
            allow_redirects=False,
            timeout=HTTP_TIMEOUT_SECONDS,
        )
        assert plain.status_code == 301
        assert plain.headers["Location"] == f"https://127.0.0.1:{port}/accounts/signup/"

        health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=HTTP_TIMEOUT_SECONDS)
        assert health.status_code == 200
        assert health.json() == {"status": "ok", "database": "ok", "broker": "ok"}
        # The web service's health check, pointed at this server.
        check = _compose_python_check("/healthz")
        assert "http://localhost:8000/healthz" in check
        check = check.replace("http://localhost:8000", f"http://127.0.0.1:{port}")
        result = production.python("-c", check)
        assert result.returncode == 0, f"{result.stdout}{result.stderr}"

        browser = BehindTlsProxy(port)
        page = browser.get("/accounts/signup/")
        assert page.status_code == 200
        assert page.headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.cookies, "the sign-up page sets the CSRF cookie"
        assert all(cookie.secure for cookie in page.cookies)

        # The manifest's hashed name, as the page links it.
        stylesheet = re.search(
            r'href="(/static/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css)"', page.text
        )
        assert stylesheet, "the sign-up page links the hashed Bootstrap stylesheet"
        static = browser.get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
        assert static.status_code == 200
        assert static.headers["Content-Type"].startswith("text/css")
        assert static.headers["Content-Encoding"] == "gzip"
        cache_control = static.headers["Cache-Control"]
        assert "max-age=315360000" in cache_control and "immutable" in cache_control
        assert "bootstrap" in static.text.lower()


@pytest.mark.worker
def test_sign_up_email_is_delivered_by_the_worker(web, worker_and_beat, production, mail_catcher):
    """Sign up over HTTP; the worker delivers the verification email to the mail catcher."""
    catcher, _ = mail_catcher
    port = production.port
    address = f"topology-{uuid4().hex[:12]}@example.org"
    password = "Harbour-Lantern-Quietly-93"
    with _logs_on_failure(web, *worker_and_beat):
        browser = BehindTlsProxy(port)
        form = browser.get("/accounts/signup/")
        assert form.status_code == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert token, "the sign-up form carries a CSRF token"

        signed_up = browser.post(
            "/accounts/signup/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "email": address,
                "display_name": "Topology Tester",
                "time_zone": "Europe/Paris",
                "preferred_language": "en",
                "password1": password,
                "password2": password,
            },
        )
        assert signed_up.status_code == 302, signed_up.text[:3000]
        assert urlsplit(signed_up.headers["Location"]).path == "/accounts/confirm-email/"
        assert browser.get("/accounts/confirm-email/").status_code == 200

        messages = _wait_until(
            lambda: catcher.messages_to(address),
            f"the verification email to {address} at the mail catcher",
            seconds=MAIL_SECONDS,
            processes=[web, *worker_and_beat],
        )
        assert len(messages) == 1
        text = messages[0].get_body(preferencelist=("plain",)).get_content()
        assert "/accounts/confirm-email/" in text
        link = re.search(rf"https://127\.0\.0\.1:{port}(/accounts/confirm-email/[-:\w]+/)", text)
        assert link, f"no https confirmation link in:\n{text}"

        outbound = _wait_until(
            lambda: OutboundEmail.objects.filter(
                to=[address], status=OutboundEmail.Status.SENT
            ).first(),
            "the OutboundEmail row to be marked sent",
            seconds=MAIL_SECONDS,
            processes=[web, *worker_and_beat],
        )
        assert outbound.attempts == 1
        assert outbound.sent_at is not None
        assert OutboundEmail.objects.filter(to=[address]).count() == 1

        # The key in the email is the one the database holds.
        assert browser.get(link.group(1)).status_code == 200
