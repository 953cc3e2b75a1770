"""Two-factor sign-in: TOTP enrolment and verification, hashed one-time backup codes.

A session is "verified" when django-otp has recorded the device that verified it
(`django_otp.login`); accounts.middleware.TwoFactorRequiredMiddleware sends every
signed-in but unverified session here while settings.CSE_REQUIRE_2FA is on.
"""

import base64
import io
import secrets
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import SignInForm
from accounts.models import BackupCode, BackupCodeDevice, User
from audit.models import AccessEvent
from audit.services import access_event_record

BACKUP_CODE_COUNT = 10
# 10 characters from a 32-letter alphabet without look-alikes: 50 bits per code.
BACKUP_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_CODE_LENGTH = 10
TOTP_DEVICE_NAME = "Authenticator app"


class BackupCodeHasher(PBKDF2PasswordHasher):
    """PBKDF2 with fewer rounds than a password: a code has 50 random bits, not a human's choice.

    Used directly (never through PASSWORD_HASHERS) so a login can check ten codes in well
    under a second while a stolen table still costs PBKDF2 per guess per code.
    """

    algorithm = "pbkdf2_sha256_backup"
    iterations = 60_000


_HASHER = BackupCodeHasher()


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_code() -> str:
    raw = "".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, made on first visit so the secret stays put on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def user_has_two_factor(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped in fours, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as a QR code, rendered here as SVG (no third party sees the secret).

    Returned as a data: URI for an <img>, which the CSP allows (img-src data:), so the page
    carries no inline markup or styles of its own.
    """
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@transaction.atomic
def backup_codes_replace(*, user: User) -> list[str]:
    """Make a fresh set of backup codes for `user`, replacing any earlier set.

    Returns the plain codes: the only time they exist outside the user's hands.
    """
    BackupCodeDevice.objects.filter(user=user).delete()
    device = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [_new_code() for _ in range(BACKUP_CODE_COUNT)]
    BackupCode.objects.bulk_create(
        BackupCode(device=device, code_hash=_HASHER.encode(_normalise(code), _HASHER.salt()))
        for code in codes
    )
    return codes


@transaction.atomic
def backup_code_consume(*, device: BackupCodeDevice, code: str) -> bool:
    """True if `code` is one of the device's unused codes; that code is then spent."""
    candidate = _normalise(code)
    if len(candidate) != BACKUP_CODE_LENGTH:
        return False
    for backup in device.codes.select_for_update().filter(used_at__isnull=True):
        if _HASHER.verify(candidate, backup.code_hash):
            backup.used_at = timezone.now()
            backup.save(update_fields=["used_at"])
            return True
    return False


def backup_codes_remaining(*, user: User) -> int:
    return BackupCode.objects.filter(device__user=user, used_at__isnull=True).count()


@transaction.atomic
def totp_enrolment_confirm(
    *, actor: User, device: TOTPDevice, token: str, request: HttpRequest
) -> list[str] | None:
    """Confirm the user's new authenticator with a code from it; verify this session.

    Returns the new backup codes, or None if the code was wrong.
    """
    if device.user_id != actor.pk or not device.verify_token(token.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor, confirmed=False).exclude(pk=device.pk).delete()
    codes = backup_codes_replace(user=actor)
    otp_login(request, device)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.SIGN_IN,
        object_type="two_factor",
        detail={"event": "enrolled"},
    )
    return codes


def two_factor_verify(*, actor: User, token: str, request: HttpRequest) -> bool:
    """Verify this session with an authenticator code or an unused backup code."""
    token = token.strip()
    device: Any
    for device in TOTPDevice.objects.filter(user=actor, confirmed=True):
        if device.verify_token(token):
            _verified(actor=actor, device=device, method="totp", request=request)
            return True
    for device in BackupCodeDevice.objects.filter(user=actor, confirmed=True):
        if device.verify_token(token):
            _verified(actor=actor, device=device, method="backup_code", request=request)
            return True
    return False


def _verified(*, actor: User, device: Any, method: str, request: HttpRequest) -> None:
    otp_login(request, device)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.SIGN_IN,
        object_type="two_factor",
        detail={"event": "verified", "method": method},
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' answer while a username+address cools off: the ordinary wrong-password page.

    Saying "locked" would tell an attacker the username exists; the user learns nothing more
    than from a wrong password, and the cool-off ends by itself.
    """
    if original_response is not None:
        return original_response
    form = SignInForm(request, data=request.POST or None)
    # Mark the form invalid without running authenticate() again (that would count a failure).
    # (_errors is BaseForm's own, private, so django-stubs leaves it out.)
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    form.cleaned_data = {}
    form.add_error(None, form.error_messages["invalid_login"])
    return render(request, "accounts/login.html", {"form": form})
