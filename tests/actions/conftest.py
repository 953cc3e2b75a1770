"""Fixtures for the action plan tests: items, an update with evidence, a lead manager."""

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from actions import services
from actions.models import ActionItem, ProgressUpdate
from partnership.periods import Period, current_period
from partnership.roles import Role

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path) -> None:
    """Evidence files go to a throw-away folder per test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


@pytest.fixture
def item3(db: None) -> ActionItem:
    """The MAOG item, led by the Children and Families Service (cfs)."""
    return ActionItem.objects.get(number=3)


@pytest.fixture
def barnardos_manager(make_user: Callable[..., User]) -> User:
    return make_user("barnardos", Role.AGENCY_MANAGER)


@pytest.fixture
def period() -> Period:
    return current_period()


def pdf(name: str = "minutes.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def update_with_evidence(item3: ActionItem, vap_chair: User, period: Period) -> ProgressUpdate:
    return services.progress_update_save(
        actor=vap_chair,
        item=item3,
        period=period,
        status="green",
        narrative="Meeting monthly.",
        evidence_file=pdf(),
    )
