"""Render committee reports synchronously (operators): `manage.py render_reports --period
2025-26-H1 [--committee ccpc]` (a financial year, ``--period 2025-26``, renders the annual
report). Each run makes a new version; nothing is overwritten."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from partnership.models import Committee
from performance.models import Report
from performance.reports import report_period
from performance.services import report_render


class Command(BaseCommand):
    help = "Render committee PDF reports for a period now, in this process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True)
        parser.add_argument("--committee", help="committee code (cog, ccpc, csp); default all")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = report_period(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        committees = Committee.objects.all()
        if options["committee"]:
            committees = committees.filter(code__iexact=options["committee"])
            if not committees:
                raise CommandError(f"No committee with code {options['committee']!r}")
        for committee in committees:
            with transaction.atomic():
                # A queued row first, exactly as a request makes, but rendered here, not queued.
                Committee.objects.select_for_update().filter(pk=committee.pk).first()
                last = (
                    Report.objects.filter(committee=committee, period=period.code)
                    .order_by("-version")
                    .values_list("version", flat=True)
                    .first()
                )
                report = Report.objects.create(
                    committee=committee, period=period.code, version=(last or 0) + 1
                )
            report = report_render(report_id=report.pk)
            self.stdout.write(
                f"{report}: {report.status}, {report.size} bytes, sha256 {report.sha256}, "
                f"{report.file.name}"
            )
