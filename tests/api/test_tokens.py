"""API tokens: made after two-factor sign-in, stored hashed, shown once, scoped, expiring,
revocable (by the owner or an administrator), rate-limited per token."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from api import services
from api.models import ApiToken
from cases.models import Referral, YoungPerson
from tests.api.conftest import referral_body, token_client, token_for

pytestmark = pytest.mark.django_db


def verified_client(user: User) -> Client:
    """A browser session that completed two-factor sign-in (django-otp's session key)."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def test_a_token_is_made_only_after_two_factor_sign_in(cfs_practitioner: User) -> None:
    with pytest.raises(PermissionDenied):
        services.api_token_create(
            actor=cfs_practitioner, verified=False, name="x", scope="read", days=5
        )
    password_only = Client()
    password_only.force_login(cfs_practitioner)
    password_only.post("/api/tokens/", {"name": "x", "scope": "read", "days": "5"})
    assert not ApiToken.objects.exists()


def test_the_token_is_shown_once_and_stored_hashed(cfs_practitioner: User) -> None:
    client = verified_client(cfs_practitioner)
    page = client.post("/api/tokens/", {"name": "Council system", "scope": "read", "days": "30"})
    assert page.status_code == 200
    token = ApiToken.objects.get()
    raw = page.context["new_token"]
    assert raw.startswith("cse_") and raw in page.content.decode()
    assert raw not in {token.digest, token.prefix} and token.digest == services.token_digest(raw)
    assert token.user == cfs_practitioner and token.scope == "read"
    listing = client.get("/api/tokens/").content.decode()
    assert "Council system" in listing and raw not in listing


def test_tokens_last_at_most_90_days(cfs_practitioner: User) -> None:
    with pytest.raises(ValidationError):
        services.api_token_create(
            actor=cfs_practitioner, verified=True, name="x", scope="read", days=91
        )
    raw = token_for(cfs_practitioner, days=90)
    client = token_client(raw)
    assert client.get("/api/v1/referrals/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=90, minutes=1)):
        assert client.get("/api/v1/referrals/").status_code == 401


def test_a_read_token_cannot_write(cfs_practitioner: User, young_person: YoungPerson) -> None:
    client = token_client(token_for(cfs_practitioner, scope="read"))
    assert client.get("/api/v1/referrals/").status_code == 200
    response = client.post("/api/v1/referrals/", referral_body(young_person), format="json")
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_a_revoked_token_stops_working(cfs_practitioner: User) -> None:
    raw = token_for(cfs_practitioner)
    client = token_client(raw)
    assert client.get("/api/v1/referrals/").status_code == 200
    browser = Client()
    browser.force_login(cfs_practitioner)
    token = ApiToken.objects.get()
    assert browser.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    assert client.get("/api/v1/referrals/").status_code == 401


def test_only_the_owner_or_an_administrator_revokes(
    cfs_practitioner: User, police_practitioner: User, admin_user: User
) -> None:
    token_for(cfs_practitioner)
    token = ApiToken.objects.get()
    other = Client()
    other.force_login(police_practitioner)
    assert other.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    others_page = other.get("/api/tokens/").content.decode()
    assert token.prefix not in others_page and cfs_practitioner.username not in others_page
    admin = Client()
    admin.force_login(admin_user)
    assert cfs_practitioner.username in admin.get("/api/tokens/").content.decode()
    assert admin.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == admin_user and not token.is_active


def test_last_use_is_listed(cfs_practitioner: User) -> None:
    token_client(token_for(cfs_practitioner)).get("/api/v1/referrals/")
    assert ApiToken.objects.get().last_used_at is not None


def test_requests_are_rate_limited_per_token(settings, cfs_practitioner: User) -> None:
    settings.CSE_API_RATE = "3/m"
    first, second = (
        token_client(token_for(cfs_practitioner)),
        token_client(token_for(cfs_practitioner)),
    )
    statuses = [first.get("/api/v1/referrals/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert second.get("/api/v1/referrals/").status_code == 200  # its own budget


def test_an_unknown_token_gets_401(client) -> None:
    response = client.get("/api/v1/referrals/", HTTP_AUTHORIZATION="Bearer cse_nonsense")
    assert response.status_code == 401
