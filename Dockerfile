# Production image of the mentorship platform: one image for web (gunicorn),
# the Celery worker, Celery beat and the one-shot migrate job (see docker-compose.yml).
#
#   docker build -t mentorship-platform .
#
# All configuration comes from the environment at run time (see .env.example).
FROM python:3.11-slim

# PYTHONPATH: the code runs from /app, where templates/, static/ and locale/ sit next to
# the packages (settings derive BASE_DIR from the location of settings.py).
# WEB_CONCURRENCY: gunicorn's default worker count (2 x CPUs + 1 is the usual rule;
# 3 suits a small single-CPU host). Override it in .env.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONPATH=/app \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    WEB_CONCURRENCY=3

RUN groupadd --system --gid 10001 mentorship \
    && useradd --system --uid 10001 --gid mentorship --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin mentorship

WORKDIR /app

# Pango and a font for the PDF report (WeasyPrint draws text through them).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# XStatic-Bootstrap only builds with pip's --build-constraint (pip 25.3 or later).
RUN python -m pip install --upgrade "pip>=25.3"

# Dependencies first, in their own layer, so that code changes do not reinstall them.
COPY pyproject.toml .pip-build-constraints.txt ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; print('\n'.join(deps))" > /tmp/requirements.txt \
    && pip install --build-constraint .pip-build-constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --build-constraint .pip-build-constraints.txt . \
    && rm -rf build ./*.egg-info

# Hashed, compressed static files, served by WhiteNoise. The key below exists only for
# this build step; the running containers must get their own SECRET_KEY.
RUN DEBUG=false STATIC_MANIFEST=true SECRET_KEY=collectstatic-build-step-only-never-used-at-run-time \
    python manage.py collectstatic --noinput --verbosity 1 \
    && mkdir -p "$VAR_DIR" \
    && chown mentorship:mentorship "$VAR_DIR"

USER mentorship

EXPOSE 8000

# Plain HTTP from inside the container: /healthz is exempt from the HTTPS redirect.
# "localhost" must be in ALLOWED_HOSTS for this check (see .env.example).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://localhost:8000/healthz', timeout=8).status == 200 else 1)"]

CMD ["gunicorn", "mentorship_site.wsgi", \
     "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", \
     "--error-logfile", "-", \
     "--worker-tmp-dir", "/dev/shm", \
     "--no-control-socket", \
     "--timeout", "30", \
     "--graceful-timeout", "30", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100"]
