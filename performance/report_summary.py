"""The key messages at the head of section 4.0 of a committee report, read from its stored
snapshot (already disclosure-controlled): each indicator's measure this period against the
previous one with the direction in words, the action plan by RAG status, the exceptions
(red and amber items) and the recommendations pre-filled from them.

Directions are given only between two printed figures: a hidden one ("<5", "*") is not
compared, since "up from <5" would say more than the figure does."""

from collections import Counter
from typing import Any

UP, DOWN, SAME, NOT_COMPARED = "Up", "Down", "Same", "Not compared"
RAG_ORDER = (
    ("red", "Red"),
    ("amber", "Amber"),
    ("green", "Green"),
    ("complete", "Complete"),
    ("not_started", "Not started"),
    ("", "No update"),
)
EXCEPTIONS = ("red", "amber")


def direction(previous: float | None, current: float | None) -> str:
    if previous is None or current is None:
        return NOT_COMPARED
    if current > previous:
        return UP
    return DOWN if current < previous else SAME


def measure_rows(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per indicator: its measure (the rate where it is a rate), the previous period
    and this one as printed, and the direction. Indicators printing the same measure (N1
    and N2 share the referral total) share one row."""
    rows: list[dict[str, Any]] = []
    for indicator in indicators:
        measure = indicator.get("measure") or {
            "label": indicator["trend_label"],
            "points": indicator["trend"],
        }
        points = measure["points"]
        previous, current = (points[-2] if len(points) > 1 else None), points[-1]
        same = next(
            (
                r
                for r in rows
                if r["label"] == measure["label"]
                and r["previous"] == (previous["text"] if previous else "–")
                and r["current"] == current["text"]
            ),
            None,
        )
        if same:
            same["id"] += f", {indicator['id']}"
            continue
        rows.append(
            {
                "id": indicator["id"],
                "label": measure["label"],
                "previous": previous["text"] if previous else "–",
                "current": current["text"],
                "direction": direction(previous and previous["value"], current["value"]),
            }
        )
    return rows


def rag_counts(progress: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items by status, every status listed (zero included); "No update" names the lead
    agencies that did not write one."""
    counts = Counter(p["status"] for p in progress)
    rows = []
    for status, label in RAG_ORDER:
        row: dict[str, Any] = {"status": status, "label": label, "count": counts[status]}
        if not status:
            row["agencies"] = sorted(
                {p.get("lead_agencies") or p["lead"] for p in progress if not p["status"]}
            )
        rows.append(row)
    return rows


def exceptions(progress: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The red items, then the amber ones, in the report's order."""
    return [p for status in EXCEPTIONS for p in progress if p["status"] == status]


def _short(text: str, words: int = 18) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def recommendations_prefill(snapshot: dict[str, Any]) -> str:
    """The recommendations a lead officer starts from (one a line): note the figures, then
    one line per red or amber item endorsing its remedial action, then the next update."""
    period = snapshot["period"]["code"]
    lines = [f"Note the performance information for {period} set out in section 4."]
    for item in exceptions(snapshot["progress"]):
        action = item["remedial_action"] or "the lead agency to report a remedial action"
        lines.append(
            f"Note that action {item['number']} ({_short(item['action'], 10)}) is "
            f"{item['status_label'].upper()} and endorse the remedial action: {_short(action)}"
        )
    if not exceptions(snapshot["progress"]):
        lines.append("Note the progress made on the action plan.")
    lines.append("Instruct the VAP to provide the next update.")
    return "\n".join(lines)


def key_messages(snapshot: dict[str, Any]) -> dict[str, Any]:
    progress = snapshot["progress"]
    return {
        "measures": measure_rows(snapshot["indicators"]),
        "rag": rag_counts(progress),
        "exceptions": exceptions(progress),
    }
