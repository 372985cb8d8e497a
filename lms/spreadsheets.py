"""CSV files people open in a spreadsheet: every cell shown as text, never run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """The rows as CSV, every cell formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in (header, *rows):
        writer.writerow([spreadsheet_safe(v) for v in row])
    return out.getvalue()
