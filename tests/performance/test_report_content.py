"""Issue 16, the content of the committee PDFs: key messages at the head of 4.0 on one page,
charts of the measure (the rate, never its denominator), no empty charts, the unfinished
period never drawn as complete, and the annual report of a financial year. The PDF is looked
at as a reader would: text per page (pdftotext) and PNG pages (pdftoppm)."""

import datetime as dt
import re
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from actions import services as action_services
from actions.models import ActionItem
from cases import models as cm
from cases import services as cs
from partnership.models import Agency, Committee
from partnership.periods import period_from_code
from performance.charts import trend_svg
from performance.models import Report
from performance.pdf import report_html
from performance.report_summary import recommendations_prefill
from performance.reports import financial_year
from performance.services import report_render, report_request

pytestmark = pytest.mark.django_db
H1, H2 = dt.date(2025, 6, 2), dt.date(2025, 11, 3)  # 2025-26-H1 and 2025-26-H2 (closed)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class Data:
    def __init__(self, actor: User) -> None:
        self.actor, self.n = actor, 0

    def child(self) -> cm.YoungPerson:
        self.n += 1
        return cs.young_person_create(
            actor=self.actor,
            first_name=f"Kid{self.n}",
            last_name=f"Family{self.n}",
            date_of_birth=dt.date(2010, 1, 1) + dt.timedelta(days=self.n),
            sex=cm.Sex.FEMALE,
            ethnicity=cm.Ethnicity.WHITE_SCOTTISH,
        )

    def referrals(self, day: dt.date, count: int) -> None:
        for _ in range(count):
            cs.referral_create(
                actor=self.actor,
                young_person=self.child(),
                received_on=day,
                referring_agency=Agency.objects.get(code="education"),
                concerns="Synthetic concern.",
                initial_risk_level=cm.RiskLevel.MODERATE,
                outcome="still_open",
                outcome_date=None,
            )

    def episodes(self, day: dt.date, count: int, within: int) -> None:
        """`count` episodes ended on `day`; `within` of them with a discussion in target."""
        for i in range(count):
            located = _aware(day + dt.timedelta(days=i))
            done = i < within
            cs.missing_episode_create(
                actor=self.actor,
                young_person=self.child(),
                missing_from=located - dt.timedelta(hours=6),
                located_at=located,
                category=cm.MissingEpisode.Category.MISSING_MEDIUM,
                placement_type=cm.PlacementType.RESIDENTIAL,
                reported_to_police=True,
                return_discussion="completed" if done else "not_offered",
                **({"rd_completed_at": located + dt.timedelta(hours=10)} if done else {}),
            )

    def feedback(self, day: dt.date, satisfied: int, not_satisfied: int) -> None:
        for i in range(satisfied + not_satisfied):
            cs.feedback_create(
                actor=self.actor,
                young_person=self.child(),
                received_on=day,
                respondent=cm.Feedback.Respondent.VICTIM,
                satisfied=i < satisfied,
            )


@pytest.fixture
def data(cfs_practitioner: User) -> Data:
    return Data(cfs_practitioner)


def _demo_like(data: Data, vap_chair: User) -> None:
    """A period like the demo's: every indicator family with figures, items in each status."""
    data.referrals(H1, 14)
    data.episodes(H1, 12, within=7)
    data.feedback(H1, satisfied=9, not_satisfied=6)
    period = period_from_code("2025-26-H1")
    for number, status, remedial in (
        (11, "red", "Second an officer to the team for three months."),
        (2, "amber", "Agree the joint procedure at the next meeting."),
        (7, "green", ""),
    ):
        action_services.progress_update_save(
            actor=vap_chair,
            item=ActionItem.objects.get(number=number),
            period=period,
            status=status,
            narrative=f"Progress on item {number} in the period.",
            remedial_action=remedial,
        )


def _render(clerk: User, period: Any, code: str = "ccpc") -> Report:
    report = report_request(actor=clerk, committee=Committee.objects.get(code=code), period=period)
    report = report_render(report_id=report.pk)
    assert report.status == Report.Status.READY, report.error
    return report


def _pages(pdf: Path) -> list[str]:
    count = int(
        re.search(r"Pages:\s+(\d+)", subprocess.check_output(["pdfinfo", pdf], text=True))[1]  # type: ignore[index]  # noqa: S603, S607
    )
    return [
        subprocess.check_output(  # noqa: S603
            ["pdftotext", "-layout", "-f", str(i), "-l", str(i), pdf, "-"],  # noqa: S607
            text=True,
        )
        for i in range(1, count + 1)
    ]


def _indicator(snapshot: dict[str, Any], indicator_id: str) -> dict[str, Any]:
    return next(i for i in snapshot["indicators"] if i["id"] == indicator_id)


def test_key_messages_fit_on_one_page_as_png_and_charts_show_the_rate(
    data: Data, vap_chair: User, clerk: User, tmp_path: Path
) -> None:
    _demo_like(data, vap_chair)
    report = _render(clerk, period_from_code("2025-26-H1"))
    pdf = tmp_path / "ccpc.pdf"
    report.file.open("rb")
    pdf.write_bytes(report.file.read())
    pages = _pages(pdf)
    # Key messages: heading, the indicator table, the RAG counts and the exceptions, and the
    # line that closes them, all on one page.
    [page] = [p for p in pages if "Key messages" in p and "4.0 MAIN TEXT" in p]
    for part in ("N7 Percentage of episodes", "No update", "Exceptions: red and amber", "Detail"):
        assert part in page, part
    assert re.search(r"11\s.*Red", page) and re.search(r"2\s.*Amber", page)
    assert "Second an officer" in page
    # Direction in words, not colour only: N1 went from 0 to 14.
    assert re.search(r"N1, N2 Referrals received\s+0\s+14\s+Up", page)
    # The recommendations are pre-filled from the red and amber items.
    assert "action 11" in pages[0] + pages[1] and "RED" in pages[0] + pages[1]
    # As PNG pages (what the README shows): pages 1-3 render.
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "3", pdf, tmp_path / "page"],  # noqa: S607
        check=True,
    )
    assert len(list(tmp_path.glob("page-*.png"))) == 3
    # Charts of the measure: rates where the indicator is a rate, never its denominator.
    html = report_html(snapshot=report.figures, report_no="T")
    titles = re.findall(r"<title id=\"chart-\d+-t\">([^<]+)</title>", html)
    for rate in (
        "N6 Repeat missing rate",
        "N7 Percentage of episodes with a discussion within target",
        "N10 Percentage satisfied",
    ):
        assert not any(t.startswith(rate.split(" ", 1)[0] + " ") and rate not in t for t in titles)
    assert "N7 Percentage of episodes with a discussion within target: trend" in titles
    assert "N10 Percentage satisfied: trend" in titles
    assert not any(t.startswith(("N7 Episodes ended", "N10 Feedback returned")) for t in titles)
    n10 = _indicator(report.figures, "N10")["measure"]
    assert n10["unit"] == "%" and n10["points"][-1]["text"] == "60.0%"
    assert n10["points"][-1]["of"] == "9 of 15"
    n7 = _indicator(report.figures, "N7")["measure"]
    assert n7["points"][-1]["value"] == pytest.approx(58.3)


def test_no_chart_of_zeros_or_hidden_points_and_rates_of_hidden_counts_hidden(
    data: Data, clerk: User
) -> None:
    # 3 feedback returns in the period before: a count of 1-4, so its rate is hidden too.
    data.feedback(dt.date(2024, 12, 2), satisfied=2, not_satisfied=1)
    data.feedback(H1, satisfied=6, not_satisfied=5)
    report = _render(clerk, period_from_code("2025-26-H1"))
    points = _indicator(report.figures, "N10")["measure"]["points"]
    assert points[-2]["value"] is None and points[-2]["text"] in {"*", "–"}
    assert "%" not in points[-2]["text"] and points[-1]["text"] == "54.5%"
    html = report_html(snapshot=report.figures, report_no="T")
    titles = re.findall(r"<title id=\"chart-\d+-t\">([^<]+)</title>", html)
    # N5 (prosecutions) is zero in every period: no chart, a sentence instead.
    assert not any(t.startswith("N5 ") for t in titles)
    assert "No chart: every figure of the trend is zero or not shown." in html
    # The hidden point is not drawn: the chart's description says it is not shown.
    svg = html[html.index("N10 Percentage satisfied: trend") :]
    desc = svg[: svg.index("</desc>")]
    assert re.search(
        r"Not shown \(small numbers suppressed or not available\): [^<]*2024-25-H2", desc
    )
    assert "2024-25-H2: " not in desc


def test_the_unfinished_period_is_never_drawn_as_complete() -> None:
    svg = trend_svg(
        title="t", labels=["A", "B", "C"], values=[4.0, 5.0, 1.0], unfinished=["C"], unit="%"
    )
    assert "(so far)" in svg and "C (so far, period not over): 1%" in svg
    assert 'stroke-dasharray="4 3"' in svg  # joined by a dashed line, not the solid one
    assert svg.count('fill="#ffffff"') == 1  # one hollow point: C
    closed = trend_svg(title="t", labels=["A", "B"], values=[4.0, 5.0], unfinished=[])
    assert "(so far)" not in closed and "stroke-dasharray" not in closed


def test_recommendations_name_each_red_and_amber_item_and_no_update_names_the_agency(
    data: Data, vap_chair: User, clerk: User
) -> None:
    _demo_like(data, vap_chair)
    report = _render(clerk, period_from_code("2025-26-H1"))
    lines = recommendations_prefill(report.figures).splitlines()
    assert any(line.startswith("Note that action 11 (") and "RED" in line for line in lines)
    assert any("action 2 (" in line and "AMBER" in line for line in lines)
    assert not any("action 7 (" in line for line in lines)  # green: no exception
    html = report_html(snapshot=report.figures, report_no="T")
    no_update = next(p for p in report.figures["progress"] if not p["status"])
    agency = no_update["lead_agencies"].split(", ")[0]
    assert agency and agency in unescape(html)
    # Text the lead officer wrote replaces the pre-filled recommendations.
    written = report_html(
        snapshot=report.figures, report_no="T", recommendations="Approve the plan."
    )
    assert "Approve the plan." in written and "Note that action 11" not in written


def test_annual_report_renders_a_financial_year_with_both_halves(
    data: Data, clerk: User, tmp_path: Path
) -> None:
    data.referrals(H1, 11)
    data.referrals(H2, 7)
    data.feedback(H2, satisfied=5, not_satisfied=5)
    report = _render(clerk, financial_year("2025-26"), code="cog")
    assert report.period == "2025-26"
    snapshot = report.figures
    assert snapshot["period"]["annual"] and snapshot["columns"] == ["2025-26-H1", "2025-26-H2"]
    n1 = _indicator(snapshot, "N1")
    referrals = next(f for f in n1["figures"] if f["key"] == "referrals")
    assert referrals["texts"] == ["11", "7"]
    by_source = next(t for t in n1["tables"] if t["key"] == "by_source")
    assert by_source["total_texts"] == ["11", "7"]
    assert snapshot["disclosure"]["cells"]["2025-26-H1:referrals"] == 11
    pdf = tmp_path / "annual.pdf"
    report.file.open("rb")
    pdf.write_bytes(report.file.read())
    text = "\n".join(_pages(pdf))
    # Spaces dropped: the text extractor loses one where the REPORT ON cell wraps.
    front = re.sub(r"\s+", "", PdfReader(pdf).pages[0].extract_text())
    assert re.sub(r"\s+", "", "ANNUAL REPORT, 2025-26 (1 APRIL 2025 TO 31 MARCH 2026)") in front
    assert re.search(r"Referrals received\s+11\s+7", text)
