"""Issue 12: each class of failure, built through the services, rendered (PDF and snapshot),
and attacked the way a reader would: with the printed numbers and arithmetic.

Period 2025-26-H1 (April to September 2025) is closed, so its data is complete.
"""

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from actions import services as action_services
from actions.models import ActionItem, ProgressUpdate
from cases import models as cm
from cases import services as cs
from cases.identifying_text import REMOVED
from partnership.models import Agency, Committee
from partnership.periods import period_from_code
from performance.models import Report
from performance.services import report_render, report_request

pytestmark = pytest.mark.django_db
PERIOD = period_from_code("2025-26-H1")
DAY = dt.date(2025, 6, 2)


def _aware(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class Builder:
    """Records made through the case services, as a practitioner would."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.n = 0

    def child(self, **fields: Any) -> cm.YoungPerson:
        self.n += 1
        values = {
            "first_name": f"Child{self.n}",
            "last_name": f"Surname{self.n}",
            "date_of_birth": dt.date(2011, 1, 1) + dt.timedelta(days=self.n),
            "sex": cm.Sex.FEMALE,
            "ethnicity": cm.Ethnicity.WHITE_SCOTTISH,
            **fields,
        }
        return cs.young_person_create(actor=self.actor, **values)

    def referrals(self, outcome: str, count: int, source: str = "education") -> None:
        for _ in range(count):
            cs.referral_create(
                actor=self.actor,
                young_person=self.child(),
                received_on=DAY,
                referring_agency=Agency.objects.get(code=source),
                concerns="Synthetic concern.",
                initial_risk_level=cm.RiskLevel.MODERATE,
                outcome=outcome,
                outcome_date=None if outcome == "still_open" else DAY,
            )

    def markers(self, level: str, count: int) -> None:
        for _ in range(count):
            cs.marker_create(
                actor=self.actor,
                young_person=self.child(),
                marker_type=cm.CseMarker.MarkerType.AT_RISK,
                start_date=DAY,
                risk_level=level,
            )

    def episodes(self, count: int, status: str = "not_offered", child: Any = None) -> None:
        for i in range(count):
            located = _aware(DAY + dt.timedelta(days=i))
            fields: dict[str, Any] = {"return_discussion": status}
            if status == "completed":
                fields["rd_completed_at"] = located + dt.timedelta(hours=10)
            cs.missing_episode_create(
                actor=self.actor,
                young_person=child or self.child(),
                missing_from=located - dt.timedelta(hours=6),
                located_at=located,
                category=cm.MissingEpisode.Category.MISSING_MEDIUM,
                placement_type=cm.PlacementType.RESIDENTIAL,
                reported_to_police=True,
                **fields,
            )

    def feedback(self, satisfied: bool, count: int) -> None:
        for _ in range(count):
            cs.feedback_create(
                actor=self.actor,
                young_person=self.child(),
                received_on=DAY,
                respondent=cm.Feedback.Respondent.VICTIM,
                satisfied=satisfied,
            )


def _render(clerk: User, code: str = "ccpc") -> Report:
    committee = Committee.objects.get(code=code)
    report = report_request(actor=clerk, committee=committee, period=PERIOD)
    return report_render(report_id=report.pk)


def _pdf_text(report: Report) -> list[str]:
    from pypdf import PdfReader

    report.file.open("rb")
    data = report.file.read()
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _indicator(report: Report, indicator_id: str) -> dict[str, Any]:
    return next(i for i in report.figures["indicators"] if i["id"] == indicator_id)


def _figure(indicator: dict[str, Any], key: str) -> dict[str, Any]:
    return next(f for f in indicator["figures"] if f["key"] == key)


def _table(indicator: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in indicator["tables"] if t["key"] == key)


def _number(text: str) -> int | None:
    """What a reader can use: a printed number, or None for "<5", "*" and "not shown"."""
    return int(text.replace(",", "")) if re.fullmatch(r"[\d,]+", text) else None


@pytest.fixture
def build(cfs_practitioner: User) -> Builder:
    return Builder(cfs_practitioner)


def _assert_ready_and_audited(report: Report) -> None:
    assert report.status == Report.Status.READY, report.error
    audit = report.figures["disclosure"]["audit"]
    assert audit["passed"] is True and audit["failures"] == []
    assert "linprog" in audit["method"]


# --- 1. a headline that is the sum of some cells ---------------------------------------------


def test_headline_sum_cannot_be_used_to_recover_a_hidden_outcome(
    build: Builder, clerk: User
) -> None:
    build.referrals("ird", 2)  # the small count
    build.referrals("cp_conference", 6)
    build.referrals("cp_registration", 7)
    build.referrals("nfa", 9)
    build.referrals("single_agency", 8)
    report = _render(clerk)
    _assert_ready_and_audited(report)
    n2 = _indicator(report, "N2")
    rows = {r["label"]: _number(r["text"]) for r in _table(n2, "by_outcome")["rows"]}
    headline = _number(_figure(n2, "ird_or_more")["text"])
    total = _number(_table(n2, "by_outcome")["total_text"])
    ird = "Inter-agency Referral Discussion (IRD)"
    assert rows[ird] is None  # "<5"
    conference = next(v for k, v in rows.items() if "conference" in k.lower())
    registration = next(v for k, v in rows.items() if "registration" in k.lower())
    # The reader's attack: headline minus the other two summed outcomes.
    assert None in (headline, conference, registration)
    # The other attack: the total minus every printed row.
    assert total is None or sum(1 for v in rows.values() if v is None) >= 2
    text = "\n".join(_pdf_text(report))
    assert "Went to IRD, case conference or registration" in text


# --- 2. a headline printing the table's secondary cell ---------------------------------------


def test_headline_and_table_row_are_one_figure(build: Builder, clerk: User) -> None:
    build.markers("significant", 6)
    build.markers("moderate", 2)
    build.markers("mild", 7)
    build.markers("not_at_risk", 8)
    report = _render(clerk)
    _assert_ready_and_audited(report)
    n3 = _indicator(report, "N3")
    rows = {r["label"]: r["text"] for r in _table(n3, "by_level")["rows"]}
    assert rows["Moderate"] == "<5"
    assert _figure(n3, "significant")["text"] == rows["Significant"]
    printed = [_number(t) for t in rows.values()]
    total = _number(_table(n3, "by_level")["total_text"])
    # Total minus the printed rows never leaves a single unknown.
    assert total is None or printed.count(None) >= 2


# --- 3. one total printed in several places --------------------------------------------------


def test_a_shared_total_prints_the_same_everywhere(build: Builder, clerk: User) -> None:
    build.referrals("nfa", 3, source="police")  # a small source
    build.referrals("nfa", 9, source="education")
    build.referrals("ird", 4, source="nhs")  # a small outcome
    report = _render(clerk)
    _assert_ready_and_audited(report)
    n1, n2 = _indicator(report, "N1"), _indicator(report, "N2")
    places = {
        _figure(n1, "referrals")["text"],
        _figure(n2, "referrals")["text"],
        _table(n1, "by_source")["total_text"],
        _table(n2, "by_outcome")["total_text"],
    }
    assert len(places) == 1
    equality_totals = {t["total_text"] for t in n1["tables"] if t["equality"]}
    assert equality_totals == {_figure(n1, "young_people")["text"]}
    # Whatever the total shows, neither table leaves one hidden cell to subtract out.
    for table in (_table(n1, "by_source"), _table(n2, "by_outcome")):
        hidden = [r for r in table["rows"] if _number(r["text"]) is None]
        assert len(hidden) != 1 or _number(table["total_text"]) is None


# --- 4. trend rows and earlier published versions --------------------------------------------


def test_what_an_earlier_version_hid_stays_hidden(build: Builder, clerk: User) -> None:
    build.feedback(True, 5)
    build.feedback(False, 1)  # "returned 6, satisfied 5" would give the 1 away
    first = _render(clerk)
    _assert_ready_and_audited(first)
    hidden_first = {k for k, v in first.figures["disclosure"]["cells"].items() if v is None}
    assert hidden_first
    # The next period's report repeats 2025-26-H1 in its trend rows; and a re-run of this
    # period is a new version. Both keep every cell the first version hid.
    build.feedback(True, 3)  # data moved on a little: the re-run is not a copy
    second = _render(clerk, "cog")
    _assert_ready_and_audited(second)
    cells = second.figures["disclosure"]["cells"]
    assert all(cells[k] is None for k in hidden_first if k in cells)
    later = Report.objects.create(
        committee=Committee.objects.get(code="csp"), period="2025-26-H2", version=1
    )
    done = report_render(report_id=later.pk)
    _assert_ready_and_audited(done)
    trend_cells = done.figures["disclosure"]["cells"]
    for key in hidden_first:
        if key in trend_cells:
            assert trend_cells[key] is None, key


# --- 5. a breakdown of fewer than five people ------------------------------------------------


def test_a_breakdown_of_one_to_four_people_is_withheld(build: Builder, clerk: User) -> None:
    for _ in range(3):
        build.episodes(1, child=build.child(sex=cm.Sex.MALE))
    report = _render(clerk)
    _assert_ready_and_audited(report)
    n6 = _indicator(report, "N6")
    assert _figure(n6, "young_people")["text"] == "<5"
    equality = [t for t in n6["tables"] if t["equality"]]
    assert equality and all(t["withheld"] and t["rows"] == [] for t in equality)
    assert _figure(n6, "repeat")["text"] == "not shown"  # "of which" of fewer than 5
    text = "\n".join(_pdf_text(report))
    assert "Not shown: fewer than 5 people." in text


# --- 6. complements ---------------------------------------------------------------------------


def test_complements_cannot_be_worked_out(build: Builder, clerk: User) -> None:
    build.feedback(True, 5)
    build.feedback(False, 1)
    build.episodes(20, status="offered")
    build.episodes(4, status="not_offered")
    report = _render(clerk)
    _assert_ready_and_audited(report)
    n10 = _indicator(report, "N10")
    returned, satisfied = (_number(_figure(n10, k)["text"]) for k in ("returned", "satisfied"))
    assert None in (returned, satisfied)
    assert _figure(n10, "satisfied_pct")["value"] is None
    n7 = _indicator(report, "N7")
    ended, offered = (_number(_figure(n7, k)["text"]) for k in ("episodes", "offered"))
    assert None in (ended, offered)
    pct = _figure(n7, "within_target_pct")
    assert pct["value"] is None or None not in (
        _number(_figure(n7, "within_target")["text"]),
        ended,
    )


# --- 7. free text ------------------------------------------------------------------------------


def test_a_narrative_naming_a_child_is_refused_on_save(build: Builder, vap_chair: User) -> None:
    child = build.child(first_name="Ellie", last_name="Brownlow", school="Baldragon Academy")
    item = ActionItem.objects.get(number=1)
    for text, kind in (
        ("Ellie Brownlow attended the group.", "name"),
        (f"Born {child.date_of_birth:%d/%m/%Y}, seen twice.", "date of birth"),
        ("Work at baldragon academy continued.", "school"),
    ):
        with pytest.raises(ValidationError) as caught:
            action_services.progress_update_save(
                actor=vap_chair, item=item, period=PERIOD, status="green", narrative=text
            )
        message = str(caught.value.message_dict["narrative"])
        assert "Progress in the period" in message and kind in message
        assert "Ellie" not in message and "Brownlow" not in message
    assert not ProgressUpdate.objects.exists()


def test_the_renderer_removes_a_child_named_after_the_text_was_saved(
    build: Builder, vap_chair: User, clerk: User
) -> None:
    item = ActionItem.objects.get(number=11)
    action_services.progress_update_save(
        actor=vap_chair,
        item=item,
        period=PERIOD,
        status="amber",
        narrative="Ellie Brownlow's group met weekly; born 4 March 2011.",
        remedial_action="Contact Baldragon Academy again.",
    )
    # The child is recorded after the narrative was saved: only the renderer can catch it.
    build.child(
        first_name="Ellie",
        last_name="Brownlow",
        date_of_birth=dt.date(2011, 3, 4),
        school="Baldragon Academy",
    )
    report = _render(clerk)
    _assert_ready_and_audited(report)
    text = "\n".join(_pdf_text(report))
    assert "Brownlow" not in text and "Baldragon" not in text and "4 March 2011" not in text
    assert REMOVED in text
    progress = next(p for p in report.figures["progress"] if p["number"] == 11)
    assert "Brownlow" not in progress["narrative"] and REMOVED in progress["narrative"]
    assert "Baldragon" not in progress["remedial_action"]


# --- 8. counts that are not people -------------------------------------------------------------


def test_meetings_and_milestones_are_published_in_full(vap_chair: User, clerk: User) -> None:
    for held in (True, True, True, True, False, False):
        action_services.activity_record(
            actor=vap_chair,
            kind="maog_meeting",
            data={"occurred_on": DAY, "planned": True, "held": held, "minutes_recorded": held},
        )
    report = _render(clerk, "cog")
    _assert_ready_and_audited(report)
    n15 = _indicator(report, "N15")
    assert _figure(n15, "held")["text"] == "4"
    assert _figure(n15, "planned")["text"] == "6"
    text = "\n".join(_pdf_text(report))
    assert "MAOG meetings held" in text


# --- the audit refuses what cannot be protected ------------------------------------------------


def test_the_audit_refuses_a_report_an_earlier_version_already_gave_away(
    build: Builder, clerk: User
) -> None:
    build.feedback(True, 5)
    build.feedback(False, 1)
    # An earlier published version (made before this control existed) printed both numbers.
    Report.objects.create(
        committee=Committee.objects.get(code="ccpc"),
        period=PERIOD.code,
        version=1,
        status=Report.Status.READY,
        figures={
            "disclosure": {
                "cells": {f"{PERIOD.code}:N10.returned": 6, f"{PERIOD.code}:N10.satisfied": 5}
            }
        },
    )
    report = _render(clerk)
    assert report.status == Report.Status.FAILED
    assert report.error.startswith("Refused by the disclosure audit")
    assert "N10.not_satisfied" in report.error
    assert not report.file
    assert report.figures["disclosure"]["audit"]["passed"] is False


# --- demo marking ------------------------------------------------------------------------------


def test_demo_reports_say_so_on_every_page(clerk: User, settings: Any) -> None:
    settings.CSE_DEMO = True
    report = _render(clerk, "csp")
    _assert_ready_and_audited(report)
    pages = _pdf_text(report)
    assert len(pages) > 3
    assert all("DEMONSTRATION DATA" in page for page in pages)
    assert "APPENDIX B" in "\n".join(pages).upper()
    # Without CSE_DEMO the same snapshot prints no marking (HTML: no second PDF needed).
    from performance.pdf import report_html

    plain = {**report.figures, "demo": False}
    assert "DEMONSTRATION DATA" not in report_html(snapshot=plain, report_no="X")
