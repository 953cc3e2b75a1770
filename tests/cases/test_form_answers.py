"""Issue 19, items 1-4: forms that cannot save an answer nobody gave, and errors that lead to
the field. Every page is fetched and posted as a practitioner would."""

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from cases.models import RiskAssessment, RiskTool
from govuk_forms.forms import GovukFormMixin
from tests.cases.conftest import client_for, date_fields

pytestmark = pytest.mark.django_db

CHECKED_RADIO = re.compile(r'<input[^>]*type="radio"[^>]*\schecked')


def test_an_untouched_risk_screening_has_no_answer_and_does_not_save(
    cfs_practitioner, young_person
) -> None:
    client = client_for(cfs_practitioner)
    url = reverse("cases:assessment_create", args=[young_person.pk])
    page = client.get(url).content.decode()
    assert not CHECKED_RADIO.search(page), "a judgement question came pre-answered"

    response = client.post(url, date_fields("assessed_on", timezone.localdate()))
    body = response.content.decode()
    assert response.status_code == 200
    assert not RiskAssessment.objects.exists()
    items = list(RiskTool.objects.get().items.all())
    for item in items:
        # Its own message, next to its own question, and a link to its first option.
        assert f"Select an answer for: {item.wording}" in body
        assert f'href="#id_item_{item.pk}_0"' in body
        assert f'id="id_item_{item.pk}_0"' in body


@pytest.mark.parametrize(
    "url_name",
    [
        "cases:referral_create",
        "cases:missing_create",
        "cases:support_create",
        "cases:feedback_create",
        "cases:marker_create",
        "cases:assessment_create",
    ],
)
def test_no_form_offers_djangos_blank_choice(cfs_practitioner, young_person, url_name) -> None:
    page = client_for(cfs_practitioner).get(reverse(url_name, args=[young_person.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "---------" not in body
    assert not re.search(r'type="radio"[^>]*value=""', body), "an empty radio option"
    # A state with a default (a new episode's return discussion is "Not yet offered") may be
    # pre-selected; a judgement never is (the screening test above).


def test_log_a_referral_has_one_error_summary_for_both_forms(cfs_practitioner) -> None:
    response = client_for(cfs_practitioner).post(reverse("cases:referral_start"), {})
    body = response.content.decode()
    assert body.count('class="govuk-error-summary"') == 1
    # Errors of both forms are in it, each linked to a field that exists on the page.
    links = re.findall(r'<a href="#([^"]+)">', body.split("govuk-error-summary__list")[1])
    assert links, "no linked error"
    for anchor in links:
        assert f'id="{anchor}"' in body, f"the summary links to #{anchor}, which is not there"
    assert 'href="#"' not in body


def test_required_messages_read_as_english() -> None:
    class Form(GovukFormMixin, forms.Form):
        rag_status = forms.ChoiceField(
            label="RAG status", choices=[("red", "Red")], widget=forms.RadioSelect
        )
        date_received = forms.CharField(label="Date received")

    form = Form(data={})
    assert form.errors["rag_status"] == ["Select the RAG status"]
    assert form.errors["date_received"] == ["Enter the date received"]
