"""Sign-in hardening: two-factor, throttling with cool-off, idle and absolute session expiry.

Every timing test runs on a frozen clock (time-machine) so "31 minutes later" is exact.
"""

import base64
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.auth_forms import CODE_WRONG, ENROL_CODE_WRONG
from accounts.models import BackupCode, User
from accounts.two_factor import backup_codes_replace
from audit.models import AccessEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WRONG_LOGIN = "Enter a correct username and password."
START = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def two_factor_on(settings: object) -> None:
    settings.CSE_REQUIRE_2FA = True


@pytest.fixture
def axes_on(settings: object) -> None:
    settings.AXES_ENABLED = True


def _sign_in(client: Client, username: str, password: str = PASSWORD) -> object:
    return client.post(reverse("login"), {"username": username, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device, backup_codes_replace(user=user)


def _a_signed_in_page() -> str:
    # The password page needs only a signed-in (and, when required, verified) session.
    return reverse("password_change")


# --- Two-factor -----------------------------------------------------------------------


def test_first_sign_in_enrols_with_qr_code_and_shows_backup_codes_once(
    client: Client, cfs_practitioner: User, two_factor_on: None, clock: time_machine.Coordinates
) -> None:
    response = _sign_in(client, cfs_practitioner.username)
    assert response.status_code == 302
    page = client.get(_a_signed_in_page())
    setup_url = reverse("two_factor_setup")
    assert page.status_code == 302 and page["Location"].startswith(setup_url)

    setup = client.get(page["Location"])
    assert setup.status_code == 200
    html = setup.content.decode()
    device = TOTPDevice.objects.get(user=cfs_practitioner, confirmed=False)
    # The QR code is an SVG rendered here, carried as a data: URI; the secret is also text.
    match = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert match is not None
    assert base64.b64decode(match.group(1)).lstrip().startswith(b"<?xml")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in html
    # Reloading keeps the same secret (the app may already have scanned it).
    client.get(setup_url)
    assert TOTPDevice.objects.filter(user=cfs_practitioner).count() == 1

    wrong = client.post(setup_url, {"token": "000000" if _code(device) != "000000" else "111111"})
    assert ENROL_CODE_WRONG in wrong.content.decode()
    clock.shift(timedelta(seconds=5))  # django-otp throttles a device for a moment after a miss

    done = client.post(setup_url, {"token": _code(device), "next": "/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code in done.content.decode()
    # Stored hashed: no code appears in the table.
    stored = list(BackupCode.objects.filter(device__user=cfs_practitioner))
    assert len(stored) == 10
    for row in stored:
        assert row.code_hash.startswith("pbkdf2_sha256_backup$")
        assert all(code.replace("-", "") not in row.code_hash for code in codes)
    # This session is verified now.
    assert client.get(_a_signed_in_page()).status_code == 200
    assert AccessEvent.objects.filter(
        user=cfs_practitioner, action=AccessEvent.Action.SIGN_IN, detail__event="enrolled"
    ).exists()
    # The codes page is not reachable again.
    assert client.get(setup_url).status_code == 302


def test_later_sign_in_needs_a_code_and_a_backup_code_works_only_once(
    cfs_practitioner: User, two_factor_on: None, clock: time_machine.Coordinates
) -> None:
    device, codes = _enrolled(cfs_practitioner)
    verify_url = reverse("two_factor_verify")

    first = Client()
    _sign_in(first, cfs_practitioner.username)
    page = first.get(_a_signed_in_page())
    assert page.status_code == 302 and page["Location"].startswith(verify_url)
    assert first.post(verify_url, {"token": "abcde-fghjk"}).status_code == 200
    assert CODE_WRONG in first.post(verify_url, {"token": "abcde-fghjk"}).content.decode()
    ok = first.post(verify_url, {"token": codes[0].upper(), "next": _a_signed_in_page()})
    assert ok.status_code == 302 and ok["Location"] == _a_signed_in_page()
    assert first.get(_a_signed_in_page()).status_code == 200

    second = Client()
    _sign_in(second, cfs_practitioner.username)
    reused = second.post(verify_url, {"token": codes[0]})
    assert CODE_WRONG in reused.content.decode()
    assert second.get(_a_signed_in_page()).status_code == 302

    clock.shift(timedelta(minutes=10))  # past django-otp's throttle after the failures
    with_app = second.post(verify_url, {"token": _code(device)})
    assert with_app.status_code == 302
    assert second.get(_a_signed_in_page()).status_code == 200

    # The same authenticator code cannot be replayed in another session.
    third = Client()
    _sign_in(third, cfs_practitioner.username)
    assert CODE_WRONG in third.post(verify_url, {"token": _code(device)}).content.decode()


def test_unverified_session_reaches_only_the_two_factor_pages(
    client: Client, cfs_practitioner: User, two_factor_on: None
) -> None:
    client.force_login(cfs_practitioner)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup") + "?next=")
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_two_factor_off_shows_a_banner_and_lets_password_sessions_in(
    client: Client, cfs_practitioner: User, settings: object
) -> None:
    settings.CSE_REQUIRE_2FA = False
    client.force_login(cfs_practitioner)
    page = client.get(_a_signed_in_page())
    assert page.status_code == 200
    assert "Two-factor sign-in is OFF" in page.content.decode()
    settings.CSE_REQUIRE_2FA = True
    assert "Two-factor sign-in is OFF" not in client.get(reverse("login")).content.decode()


def test_two_factor_defaults_to_on_unless_demo() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = "from django.conf import settings as s; print(s.CSE_REQUIRE_2FA)"
    results = {}
    for demo in ("false", "true"):
        env = {
            "PATH": "/usr/bin:/bin",
            "DEBUG": "true",
            "CSE_DEMO": demo,
            "DJANGO_SETTINGS_MODULE": "cse_portal.settings.base",
        }
        out = subprocess.run(  # noqa: S603
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results[demo] = out.stdout.strip()
    assert results == {"false": "True", "true": "False"}


def test_sign_in_and_two_factor_posts_are_hidden_from_error_reports(
    client: Client, cfs_practitioner: User, two_factor_on: None
) -> None:
    response = _sign_in(client, cfs_practitioner.username, "wrong-password")
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"
    _enrolled(cfs_practitioner)
    _sign_in(client, cfs_practitioner.username)
    response = client.post(reverse("two_factor_verify"), {"token": "123456"})
    assert response.wsgi_request.sensitive_post_parameters == ("token",)


# --- Throttling -----------------------------------------------------------------------


def test_five_failures_cool_off_for_fifteen_minutes_with_the_wrong_password_message(
    client: Client, cfs_practitioner: User, axes_on: None, clock: time_machine.Coordinates
) -> None:
    for _ in range(5):
        failed = _sign_in(client, cfs_practitioner.username, "not-the-password")
        assert failed.status_code == 200
        assert WRONG_LOGIN in failed.content.decode()
    # Cooling off: the right password gets exactly the wrong-password answer.
    locked = _sign_in(client, cfs_practitioner.username)
    assert locked.status_code == 200
    assert WRONG_LOGIN in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # An unknown username is answered the same way (no account enumeration).
    unknown = _sign_in(client, "nobody.here", "not-the-password")
    assert unknown.status_code == 200 and WRONG_LOGIN in unknown.content.decode()
    # Another address is not locked out by this one's failures.
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert _sign_in(elsewhere, cfs_practitioner.username).status_code == 302

    clock.shift(timedelta(minutes=14))
    assert _sign_in(client, cfs_practitioner.username).status_code == 200
    clock.shift(timedelta(minutes=2))
    # Never permanent: after the cool-off the right password works again.
    assert _sign_in(client, cfs_practitioner.username).status_code == 302
    assert client.session["_auth_user_id"] == str(cfs_practitioner.pk)


def test_failures_below_the_limit_never_lock(
    client: Client, cfs_practitioner: User, axes_on: None, clock: object
) -> None:
    for _ in range(4):
        _sign_in(client, cfs_practitioner.username, "not-the-password")
    assert _sign_in(client, cfs_practitioner.username).status_code == 302


# --- Sessions -------------------------------------------------------------------------


def test_session_ends_after_thirty_minutes_idle(
    client: Client, cfs_practitioner: User, clock: time_machine.Coordinates
) -> None:
    client.force_login(cfs_practitioner)
    assert client.get(_a_signed_in_page()).status_code == 200
    clock.shift(timedelta(minutes=29))
    assert client.get(_a_signed_in_page()).status_code == 200  # activity renews the session
    clock.shift(timedelta(minutes=29))
    assert client.get(_a_signed_in_page()).status_code == 200
    clock.shift(timedelta(minutes=31))
    response = client.get(_a_signed_in_page())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_session_ends_twelve_hours_after_sign_in_however_active(
    client: Client, cfs_practitioner: User, clock: time_machine.Coordinates
) -> None:
    _sign_in(client, cfs_practitioner.username)
    elapsed = timedelta(0)
    while elapsed + timedelta(minutes=25) < timedelta(hours=12):
        clock.shift(timedelta(minutes=25))
        elapsed += timedelta(minutes=25)
        assert client.get(_a_signed_in_page()).status_code == 200, elapsed
    clock.shift(timedelta(hours=12) - elapsed + timedelta(seconds=1))
    response = client.get(_a_signed_in_page())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_password_change_ends_the_users_other_sessions(cfs_practitioner: User) -> None:
    here, elsewhere = Client(), Client()
    here.force_login(cfs_practitioner)
    elsewhere.force_login(cfs_practitioner)
    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-new-passphrase",
            "new_password2": "a-much-longer-new-passphrase",
        },
    )
    assert response.status_code == 302
    assert here.get(_a_signed_in_page()).status_code == 200
    out = elsewhere.get(_a_signed_in_page())
    assert out.status_code == 302 and out["Location"].startswith(reverse("login"))


def test_deactivated_user_is_out_at_the_next_request(
    client: Client, cfs_practitioner: User
) -> None:
    client.force_login(cfs_practitioner)
    assert client.get(_a_signed_in_page()).status_code == 200
    User.objects.filter(pk=cfs_practitioner.pk).update(is_active=False)
    response = client.get(_a_signed_in_page())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
