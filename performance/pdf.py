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

from performance.charts import trend_svg

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


def report_html(
    *,
    snapshot: dict[str, Any],
    report_no: str,
    draft: bool = True,
    key_messages: str = "",
    recommendations: str = "",
) -> str:
    """`draft` puts DRAFT in every page's top margin box; only a published version is
    rendered without it."""
    indicators = []
    for indicator in snapshot["indicators"]:
        chart = trend_svg(
            title=f"{indicator['id']} {indicator['trend_label']}: trend",
            labels=[t["period"] for t in indicator["trend"]],
            values=[t["value"] for t in indicator["trend"]],
        )
        indicators.append({**indicator, "chart": chart})
    equality = [
        {"indicator": i, "tables": [t for t in i["tables"] if t["equality"]]}
        for i in snapshot["indicators"]
        if any(t["equality"] for t in i["tables"])
    ]
    return render_to_string(
        "performance/pdf/report.html",
        {
            "s": snapshot,
            "indicators": indicators,
            "equality": equality,
            "report_no": report_no,
            "draft": draft,
            "key_messages": _lines(key_messages),
            "recommendations": _lines(recommendations),
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
