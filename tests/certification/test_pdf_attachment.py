"""credential.json attached to a certificate PDF: appended as an incremental update where the PDF's
classic xref table leads to a plain catalogue, and rewritten by pypdf otherwise. Either way the
attachment reads back byte for byte, by pypdf and by poppler's pdfdetach."""

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader, PdfWriter

from certification.pdf_attachment import ATTACHMENT_NAME, attach_credential
from certification.rendering import credential_from_pdf, render_pdf_xhtml2pdf

CREDENTIAL = '{"name": "প্রশিক্ষণ সনদ", "id": "urn:uuid:00000000-0000-4000-8000-000000000001"}'.encode()


@pytest.fixture(scope="module")
def xhtml2pdf_pdf() -> bytes:
    return render_pdf_xhtml2pdf("<html><body><p>Certificate of completion</p></body></html>")


def pdf_by_pypdf(*, names: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if names:  # a catalogue with a nested dictionary already: not one to extend by hand
        writer.add_attachment("other.txt", b"another file")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def attachments(pdf: bytes) -> dict[str, list[bytes]]:
    return dict(PdfReader(io.BytesIO(pdf)).attachments)


def test_an_xhtml2pdf_certificate_gets_the_credential_appended_without_rewriting_a_byte(xhtml2pdf_pdf):
    attached = attach_credential(xhtml2pdf_pdf, CREDENTIAL)
    assert attached.startswith(xhtml2pdf_pdf)  # an incremental update: the original bytes stay
    assert attached.count(b"%%EOF") == xhtml2pdf_pdf.count(b"%%EOF") + 1
    assert re.search(rb"/Prev \d+", attached[len(xhtml2pdf_pdf) :])
    assert attachments(attached) == {ATTACHMENT_NAME: [CREDENTIAL]}
    assert credential_from_pdf(attached) == CREDENTIAL
    assert len(PdfReader(io.BytesIO(attached)).pages) == len(PdfReader(io.BytesIO(xhtml2pdf_pdf)).pages)


@pytest.mark.skipif(shutil.which("pdfdetach") is None, reason="poppler-utils is not installed")
def test_poppler_reads_the_appended_attachment(xhtml2pdf_pdf, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(attach_credential(xhtml2pdf_pdf, CREDENTIAL))
    listed = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True)
    assert ATTACHMENT_NAME in listed.stdout
    saved = tmp_path / "out.json"
    subprocess.run(["pdfdetach", "-save", "1", "-o", str(saved), str(path)], check=True, capture_output=True)
    assert saved.read_bytes() == CREDENTIAL


def test_a_catalogue_with_names_already_is_rewritten_by_pypdf_keeping_both_files():
    original = pdf_by_pypdf(names=True)
    attached = attach_credential(original, CREDENTIAL)
    assert not attached.startswith(original)
    assert attachments(attached) == {"other.txt": [b"another file"], ATTACHMENT_NAME: [CREDENTIAL]}


def test_an_xref_entry_that_does_not_lead_to_the_catalogue_falls_back_to_pypdf(xhtml2pdf_pdf):
    root = int(re.search(rb"/Root (\d+) 0 R", xhtml2pdf_pdf)[1])
    xref_at = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", xhtml2pdf_pdf)[1])
    header = re.compile(rb"xref\s+(\d+)\s+(\d+)\s+").match(xhtml2pdf_pdf, xref_at)
    entry_at = header.end() + 20 * (root - int(header[1]))
    assert root != 1  # the catalogue's entry now points at object 1, which is not the catalogue
    first_object = re.search(rb"\n1 0 obj", xhtml2pdf_pdf).start() + 1
    damaged = xhtml2pdf_pdf[:entry_at] + b"%010d" % first_object + xhtml2pdf_pdf[entry_at + 10 :]
    attached = attach_credential(damaged, CREDENTIAL)
    assert not attached.startswith(damaged)  # not appended to an xref it could not follow
    assert credential_from_pdf(attached) == CREDENTIAL


def test_a_pdf_without_a_classic_xref_table_falls_back_to_pypdf(xhtml2pdf_pdf):
    xref_at = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", xhtml2pdf_pdf)[1])
    # startxref pointing at something that is not "xref": as a cross-reference stream's would
    damaged = re.sub(rb"startxref\s+\d+", b"startxref\n%d" % (xref_at - 7), xhtml2pdf_pdf)
    attached = attach_credential(damaged, CREDENTIAL)
    assert not attached.startswith(damaged)
    assert credential_from_pdf(attached) == CREDENTIAL
