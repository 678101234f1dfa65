"""Streamed CSV and XLSX downloads, so a report of 100,000 enrolments never sits in memory at once.

CSV rows go to the client as they are read from the database. XLSX uses openpyxl's write-only mode,
which writes each row to a temporary file on disk; the finished workbook is then streamed from disk.

Every cell is written as data: a text that starts with "=" is kept as text (openpyxl would otherwise
store it as a formula, and a learner's name ``=HYPERLINK(...)`` would run in the trainer's
spreadsheet), and characters XML cannot hold are dropped instead of failing the export.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

EXPORT_FORMATS = {"csv", "xlsx"}


class _Echo:
    """A file-like object whose write returns the line, for csv.writer feeding a streamed response."""

    def write(self, value: str) -> str:
        return value


def _local(value: datetime) -> datetime:
    """A moment in the site's time zone, as the report screens show it."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _cell(value):
    if isinstance(value, datetime):
        return _local(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _csv_value(value):
    """A CSV cell as the screen writes it: moments in the site's time zone to the minute, dates ISO."""
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _csv_lines(headings: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read the Bengali names as UTF-8
    yield writer.writerow(headings)
    for row in rows:
        yield writer.writerow(["" if value is None else _csv_safe(_csv_value(value)) for value in row])


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
    sheet.append([_xlsx_cell(sheet, heading) for heading in headings])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(file)


def _xlsx_cell(sheet, value):
    """Dates and moments as spreadsheet dates, in the site's time zone, shown as the screen shows them."""
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # text, never a formula
        return cell
    return _cell(value)


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
