"""Streamed CSV and XLSX downloads, so a report of 100,000 enrolments never sits in memory at once.

CSV rows go to the client as they are read from the database. XLSX uses openpyxl's write-only mode,
which writes each row to a temporary file on disk; the finished workbook is then streamed from disk.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook


class _Echo:
    """A file-like object whose write returns the line, for csv.writer feeding a streamed response."""

    def write(self, value: str) -> str:
        return value


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return float(value)
    return value


def _csv_lines(headings: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read the Bengali names as UTF-8
    yield writer.writerow(headings)
    for row in rows:
        yield writer.writerow(["" if value is None else _csv_safe(value) for value in row])


def _csv_safe(value):
    """Neutralise cells a spreadsheet would run as formulas (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@"} and not isinstance(value, (int, float, Decimal)) else text


def csv_response(*, filename: str, headings: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(headings, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def write_xlsx(*, headings: Sequence[str], rows: Iterable[Sequence], file) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(headings))
    for row in rows:
        sheet.append([_cell(value) for value in row])
    workbook.save(file)


def xlsx_response(*, filename: str, headings: Sequence[str], rows: Iterable[Sequence]) -> FileResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it once sent
    write_xlsx(headings=headings, rows=rows, file=spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_response(*, fmt: str, filename: str, headings: Sequence[str], rows: Iterable[Sequence]):
    if fmt == "xlsx":
        return xlsx_response(filename=filename, headings=headings, rows=rows)
    return csv_response(filename=filename, headings=headings, rows=rows)
