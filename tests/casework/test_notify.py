"""The e-mail to the person given an IRD action: an absolute link (CSE_SITE_URL), no case
content, sent once, only while the assignee may still see the action."""

from collections.abc import Callable

import pytest
from django.core import mail

from accounts.models import User
from cases.models import YoungPerson
from casework import services
from casework.models import Ird, IrdAction

pytestmark = pytest.mark.django_db


def test_the_assignee_gets_an_absolute_link_once(
    make_ird: Callable[..., Ird],
    young_person: YoungPerson,
    make_action: Callable[..., IrdAction],
    nhs_practitioner: User,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.CSE_SITE_URL = "https://cse.example.gov.uk"
    ird = make_ird(young_person, concerns="Secret concern text")
    with django_capture_on_commit_callbacks(execute=True):
        action = make_action(ird, to=nhs_practitioner)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [nhs_practitioner.email]
    assert f"https://cse.example.gov.uk/casework/actions/{action.pk}/" in message.body
    for secret in (action.description, young_person.last_name, "Secret concern text"):
        assert secret not in message.body
    assert services.ird_action_notify(action_id=action.pk) == 0  # once only
    assert len(mail.outbox) == 1


def test_no_mail_for_a_completed_action(
    make_ird: Callable[..., Ird],
    young_person: YoungPerson,
    make_action: Callable[..., IrdAction],
    nhs_practitioner: User,
) -> None:
    action = make_action(make_ird(young_person), to=nhs_practitioner)
    services.ird_action_complete(actor=nhs_practitioner, action=action)
    assert services.ird_action_notify(action_id=action.pk) == 0
    assert mail.outbox == []
