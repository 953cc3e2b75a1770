"""Telling the VAP chair about changes to who may see what (roles, agencies, flags)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from partnership.roles import Role


def vap_chair_notify(*, subject: str, lines: list[str]) -> None:
    """Email every active VAP chair once the current transaction commits.

    The message names the account and the fields changed, never a child or a record.
    """
    recipients = list(
        get_user_model()
        .objects.filter(groups__name=Role.VAP_CHAIR.value, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    body = "\n".join(lines)

    def _send() -> None:
        send_mail(
            subject=f"CSE Portal: {subject}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )

    transaction.on_commit(_send)
