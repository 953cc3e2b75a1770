"""Reading an uploaded CSV or XLSX file row by row (never the whole file in memory)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any

from openpyxl import load_workbook

ERROR_FILE_TYPE = "Upload a CSV or an Excel (.xlsx) file."
ERROR_EMPTY = "The file has no heading row."


class FileError(ValueError):
    pass


def read_rows(file: IO[bytes], filename: str) -> tuple[list[str], Iterator[list[Any]]]:
    """The heading row and an iterator over the data rows (lists of cells)."""
    name = filename.lower()
    if name.endswith(".csv"):
        text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        rows: Iterator[list[Any]] = iter(reader)
    elif name.endswith(".xlsx"):
        try:
            book = load_workbook(file, read_only=True, data_only=True)
        except Exception as error:  # a corrupt or renamed file: say so, do not 500
            raise FileError(ERROR_FILE_TYPE) from error
        rows = (list(row) for row in book.worksheets[0].iter_rows(values_only=True))
    else:
        raise FileError(ERROR_FILE_TYPE)
    try:
        headings = [str(cell).strip() if cell is not None else "" for cell in next(rows)]
    except StopIteration:
        raise FileError(ERROR_EMPTY) from None
    if not any(headings):
        raise FileError(ERROR_EMPTY)
    return headings, rows
