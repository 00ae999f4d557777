"""Running in production: the settings the deployment documents pass Django's deploy checks,
the site refuses to start without a key, logs carry the request id, /health/ tells the truth."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV_FILE = ROOT / "deploy" / "kofu.env.example"
# what config/settings_test.py puts in the environment for the tests' own processes
# and the browser tests' conftest (Playwright's loop), which check --deploy rightly refuses
TEST_ONLY = (
    "SECRET_KEY",
    "STATICFILES_STORAGE",
    "WHITENOISE_USE_FINDERS",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def production_env(**overrides: str) -> dict[str, str]:
    """This machine's environment less the tests' own settings, plus the documented file."""
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    env = {key: value for key, value in env.items() if not key.startswith(("SECURE_", "KOFU_"))}
    for line in PRODUCTION_ENV_FILE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_check_deploy_documented_production_env_no_warnings():
    # given the environment deploy/kofu.env.example documents
    env = production_env()
    # when Django's deployment checks run, failing on any warning
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    # then there is nothing to fix
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_without_https_settings_warns():
    # the check above can fail: without KOFU_HTTPS the same file leaves HSTS, redirect and
    # secure cookies off, and Django says so
    env = production_env(KOFU_HTTPS="0")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout


def test_settings_debug_off_without_secret_key_refuses_to_start():
    # given production's environment with the key left out
    env = production_env()
    env.pop("SECRET_KEY")
    # when any command loads the settings
    result = manage("check", env=env)
    # then it stops and says what to set
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_debug_on_without_secret_key_starts():
    # `make run` sets DEBUG=1 and no key: development still starts, with a generated key
    env = production_env(DEBUG="1")
    env.pop("SECRET_KEY")
    result = manage("check", env=env)
    assert result.returncode == 0, result.stderr


def test_settings_production_env_takes_email_and_transport_from_environment():
    env = production_env(EMAIL_FILE_PATH="/srv/kofu/mail-out")
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
        "s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_FILE_PATH, s.DEFAULT_FROM_EMAIL, "
        "s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS, s.SESSION_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.jp",
        587,
        "kofu",
        "CHANGE",
        True,
        "/srv/kofu/mail-out",
        "kofu@kofu.example.jp",
        ["HTTP_X_FORWARDED_PROTO", "https"],
        ["https://kofu.example.jp"],
        True,
        31_536_000,
    ]


def test_logging_record_in_request_carries_request_id(db):
    # given the console handler the settings configure, writing into a buffer
    from django.http import HttpResponse
    from django.urls import path

    from config import urls

    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)

    def noisy(request):
        logging.getLogger("kofu.test").warning("inside the request")
        return HttpResponse("ok")

    urls.urlpatterns.append(path("test-noisy/", noisy))
    try:
        # when a request logs something
        response = Client().get("/test-noisy/")
        logging.getLogger("kofu.test").warning("outside any request")
    finally:
        urls.urlpatterns.pop()
        handler.setStream(previous)
    # then its line carries the id the response names, and a line outside a request a dash
    lines = buffer.getvalue().splitlines()
    inside = next(line for line in lines if "inside the request" in line)
    outside = next(line for line in lines if "outside any request" in line)
    assert f" WARNING kofu.test [{response['X-Request-ID']}] inside the request" in inside
    assert " WARNING kofu.test [-] outside any request" in outside


def test_health_database_and_in_process_tasks_ok(db):
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_health_broker_down_503(db, settings):
    # given a broker nobody listens on
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    # when the monitor asks
    response = Client().get("/health/")
    # then the site says it is not healthy and names the broker
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "broker": "unavailable"},
    }


def test_health_database_down_503(db, monkeypatch):
    # given a database server nobody listens on
    from django.db.utils import ConnectionHandler

    from core import health

    down = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": free_port(),
                "NAME": "kofu",
                "USER": "kofu",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    monkeypatch.setattr(health, "connections", down)
    # when the monitor asks, then the database is named
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unavailable", "broker": "ok"}


@pytest.mark.broker
@pytest.mark.postgres
def test_health_real_postgres_and_redis_ok(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_csp_api_docs_page_script_is_a_file_and_cdn_allowed(db, people):
    # Swagger UI: its bundle comes from its CDN, its page script from our origin, no inline one
    client = Client()
    client.force_login(people.staff)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    script_src = response["Content-Security-Policy"].split("script-src ")[1].split(";")[0]
    assert script_src == "'self' https://cdn.jsdelivr.net"
    page = response.content.decode()
    assert "<script>" not in page
    assert client.get("/api/docs/?script=").status_code == 200
