"""CSV that a spreadsheet opens as text: cells that look like formulas are defused."""

import csv
import io
from collections.abc import Iterable, Sequence

# OWASP "CSV injection": these lead characters make spreadsheets evaluate a cell.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run: formula-looking text gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV text, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()
