"""Kofu under gunicorn as in production (deploy/gunicorn.conf.py, DEBUG off, a key, static files
served by WhiteNoise) on a free loopback port. WhiteNoise serves the files from the apps'
folders here: collecting and compressing them all takes minutes, which is a deployment step,
not a test's."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.core.test_production import ROOT, free_port, manage, production_env

GUNICORN = Path(sys.executable).with_name("gunicorn")
START_SECONDS = 60
# a worker loads the application once it has started, so the first request may wait for that
REQUEST_SECONDS = 90


def get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_SECONDS)
    # as the TLS proxy forwards it: the proxy answered HTTPS, gunicorn sees plain HTTP
    connection.request(
        "GET", path, headers={"Host": "kofu.example.jp", "X-Forwarded-Proto": "https"}
    )
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def wait_for_port(process: subprocess.Popen, port: int) -> None:
    """Poll until gunicorn accepts connections; fail early if it exits."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            pass
        try:  # between two tries, notice at once if gunicorn has given up
            process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"gunicorn exited with {process.returncode}")
    pytest.fail("gunicorn did not listen within a minute")


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """A migrated SQLite database and gunicorn with two workers."""
    if not GUNICORN.exists():
        pytest.fail("gunicorn is missing: it is a dependency (pyproject.toml)")
    workdir = tmp_path_factory.mktemp("production")
    port = free_port()
    env = production_env(
        DATABASE_URL=f"sqlite:///{workdir / 'kofu.sqlite3'}",
        CELERY_BROKER_URL="",
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        WHITENOISE_USE_FINDERS="1",
        MEDIA_ROOT=str(workdir / "media"),
        KOFU_BIND=f"127.0.0.1:{port}",
        KOFU_WEB_WORKERS="2",
    )
    result = manage("migrate", "--noinput", "-v0", env=env)
    assert result.returncode == 0, result.stderr
    log = workdir / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(process, port)
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        print(log.read_text())


def test_gunicorn_login_page_security_headers(production):
    port, _ = production
    response = get(port, "/accounts/login/")
    assert response.status == 200
    policy = response.getheader("Content-Security-Policy")
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert response.getheader("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Request-ID")
    assert b'href="/static/kofu/kofu.css"' in response.body


def test_gunicorn_static_css_served_by_whitenoise(production):
    port, _ = production
    page = get(port, "/accounts/login/").body.decode()
    href = page.split('rel="stylesheet" href="')[1].split('"')[0]
    response = get(port, href)
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/css")
    assert b".k-header{" in response.body  # the compiled design (web/static_src/kofu.css)
    # with DEBUG off Django serves no static files: WhiteNoise did, and says how long to keep it
    assert "max-age=" in response.getheader("Cache-Control")


def test_gunicorn_plain_http_redirected_to_https(production):
    port, _ = production
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_SECONDS)
    connection.request("GET", "/accounts/login/", headers={"Host": "kofu.example.jp"})
    response = connection.getresponse()
    connection.close()
    assert response.status == 301
    assert response.getheader("Location") == "https://kofu.example.jp/accounts/login/"


def test_gunicorn_health_answers_and_access_log_names_request(production):
    port, log = production
    response = get(port, "/health/")
    assert response.status == 200
    request_id = response.getheader("X-Request-ID")
    # gunicorn writes the access line once the response has gone out: poll the log for it
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        lines = log.read_text().splitlines()
        if any(f"[{request_id}]" in line for line in lines):
            break
        threading.Event().wait(0.1)
    line = next((line for line in lines if f"[{request_id}]" in line), None)
    assert line is not None, f"no access line with {request_id} in {lines[-5:]}"
    assert '"GET /health/ HTTP/1.1" 200' in line
    assert line.endswith(f"[{request_id}]")
    assert json.loads(response.body) == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
    }


def test_gunicorn_without_secret_key_refuses_to_start(tmp_path):
    # given production's environment without the key
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'kofu.sqlite3'}",
        KOFU_BIND=f"127.0.0.1:{free_port()}",
        KOFU_WEB_WORKERS="2",
    )
    env.pop("SECRET_KEY")
    # when gunicorn starts, then it exits with the reason rather than serve with random keys
    result = subprocess.run(
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
