"""Committee report PDFs: snapshot -> print template -> WeasyPrint.

WeasyPrint fetches resources only through `local_static_fetcher`: files under our static
directories, nothing else (case text is user input, so no URL in it may reach the network
or the file system).
"""

import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint.urls import URLFetcherResponse

from performance.charts import trend_svg, worth_drawing
from performance.report_summary import key_messages as summary
from performance.report_summary import recommendations_prefill

LOCAL_BASE_URL = "cse-static:///"
ERROR_REFUSED_URL = "The report renderer only reads local static files."


def local_static_fetcher(url: str) -> URLFetcherResponse:
    """Serve `cse-static:///static/<path>` from the static directories; refuse the rest."""
    prefix = LOCAL_BASE_URL + settings.STATIC_URL.lstrip("/")
    if not url.startswith(prefix):
        raise ValueError(ERROR_REFUSED_URL)
    relative = url[len(prefix) :].split("?")[0].split("#")[0]
    if ".." in Path(relative).parts:
        raise ValueError(ERROR_REFUSED_URL)
    found = finders.find(relative)
    if not found:
        raise ValueError(ERROR_REFUSED_URL)
    return URLFetcherResponse(url, body=Path(found).read_bytes())


@lru_cache(maxsize=1)
def generator_string() -> str:
    """What made the PDF: our version (git commit when known) and WeasyPrint's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("cse-portal")
    except PackageNotFoundError:
        ours = "unknown"
    try:
        sha = subprocess.run(  # noqa: S603 - fixed arguments, no user input
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        ours = f"{ours}+{sha}" if sha else ours
    except (OSError, subprocess.SubprocessError):
        pass
    return f"cse-portal {ours}, WeasyPrint {weasyprint.__version__}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _chart(indicator: dict[str, Any], unfinished: list[str]) -> str:
    """The chart of the indicator's measure (its rate where it is a rate), or "" when every
    point is zero or hidden."""
    measure = indicator.get("measure") or {
        "label": indicator["trend_label"],
        "unit": "",
        "points": indicator["trend"],
    }
    values = [p["value"] for p in measure["points"]]
    if not worth_drawing(values):
        return ""
    return trend_svg(
        title=f"{indicator['id']} {measure['label']}: trend",
        labels=[p["period"] for p in measure["points"]],
        values=values,
        unit=measure["unit"],
        unfinished=unfinished,
    )


def _equality(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One table per equality dimension, a column per indicator about young people (the
    reported period; in the annual report its last half)."""
    dimensions: dict[str, dict[str, Any]] = {}
    for indicator in indicators:
        for table in indicator["tables"]:
            if not table["equality"]:
                continue
            entry = dimensions.setdefault(
                table["dimension"], {"dimension": table["dimension"], "columns": [], "rows": {}}
            )
            entry["columns"].append(
                {
                    "id": indicator["id"],
                    "withheld": table["withheld"],
                    "withheld_text": table["withheld_text"],
                    "total": table["total_text"],
                }
            )
            for row in table["rows"]:
                entry["rows"].setdefault(row["label"], {})[indicator["id"]] = row["text"]
    out = []
    for entry in dimensions.values():
        ids = [c["id"] for c in entry["columns"]]
        withheld = {c["id"] for c in entry["columns"] if c["withheld"]}
        rows = [
            {
                "label": label,
                "cells": ["–" if i in withheld else texts.get(i, "0") for i in ids],
            }
            for label, texts in entry["rows"].items()
        ]
        out.append({**entry, "rows": rows, "withheld": sorted(withheld)})
    return out


def report_html(
    *,
    snapshot: dict[str, Any],
    report_no: str,
    draft: bool = True,
    key_messages: str = "",
    recommendations: str = "",
) -> str:
    """`draft` puts DRAFT in every page's top margin box; only a published version is
    rendered without it. Recommendations not written yet are pre-filled from the red and
    amber items (report_summary.recommendations_prefill)."""
    unfinished = snapshot.get("unfinished", [])
    indicators = [{**i, "chart": _chart(i, unfinished)} for i in snapshot["indicators"]]
    columns = snapshot.get("columns") or [snapshot["period"]["code"]]
    for indicator in indicators:
        for figure in indicator["figures"]:
            figure.setdefault("texts", [figure["text"]])
        for table in indicator["tables"]:
            for row in table["rows"]:
                row.setdefault("texts", [row["text"]])
            table.setdefault("total_texts", [table["total_text"]])
    return render_to_string(
        "performance/pdf/report.html",
        {
            "s": snapshot,
            "indicators": indicators,
            "columns": columns,
            "equality": _equality(snapshot["indicators"]),
            "summary": summary(snapshot),
            "report_no": report_no,
            "draft": draft,
            "key_messages": _lines(key_messages),
            "recommendations": _lines(recommendations or recommendations_prefill(snapshot)),
            "today": timezone.localdate(),
        },
    )


def render_report_pdf(
    *,
    snapshot: dict[str, Any],
    report_no: str,
    draft: bool = True,
    key_messages: str = "",
    recommendations: str = "",
) -> bytes:
    html = report_html(
        snapshot=snapshot,
        report_no=report_no,
        draft=draft,
        key_messages=key_messages,
        recommendations=recommendations,
    )
    document = weasyprint.HTML(
        string=html, base_url=LOCAL_BASE_URL, url_fetcher=local_static_fetcher
    )
    return document.write_pdf()
