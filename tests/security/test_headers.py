"""Production settings, response headers, and error reports without personal data."""

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import get_exception_reporter_class

from accounts.models import User

ROOT = Path(__file__).resolve().parents[2]
CHILD_NAME = "Kirsty Wallace-Stratheden"


def _production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "cse_portal.settings.base",
        "DEBUG": "false",
        "SECURE_HTTPS": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "cse.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "CSE_VAR_DIR": str(tmp_path),
    }


def test_production_settings_pass_check_deploy_with_nothing_silenced(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_cookies_are_host_prefixed_secure_and_two_factor_is_required(
    tmp_path: Path,
) -> None:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_PATH, "
        "s.CSRF_COOKIE_PATH, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.CSE_REQUIRE_2FA, s.DEBUG]))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "/",
        "/",
        True,
        True,
        31536000,
        True,
        True,
        False,
    ]


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client: Client) -> None:
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_signed_in_pages_are_never_cached(client: Client, cfs_practitioner: User) -> None:
    client.force_login(cfs_practitioner)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style(client: Client, cfs_practitioner: User) -> None:
    client.force_login(cfs_practitioner)
    for url in (reverse("login"), reverse("password_change"), reverse("two_factor_setup")):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<script " not in html.replace(
            '<script type="module" src=', ""
        )
        assert " style=" not in html and "<style" not in html
        assert " onclick=" not in html


def test_error_reports_carry_no_personal_data() -> None:
    request = RequestFactory().post(
        "/cases/young-people/new/?q=" + CHILD_NAME,
        {"first_name": CHILD_NAME, "notes": f"{CHILD_NAME} was seen"},
    )
    child = CHILD_NAME  # a local variable in the failing frame

    try:
        raise ValueError("could not save the record")
    except ValueError:
        exc_info = sys.exc_info()
    reporter = get_exception_reporter_class(request)(request, *exc_info)
    text = reporter.get_traceback_text()
    html = reporter.get_traceback_html()
    assert child not in text and child not in html
    assert "could not save the record" in text  # the error itself is still reported
