"""A course worth packing: English and Bengali copies, an image, a document linked from rich text,
an H5P knowledge check and an accrediting body, built from real parts."""

import io
import uuid
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses.h5p.packaging import knowledge_check_package
from courses.h5p.services import import_package
from courses.models import CoursePage
from tests.factories import (
    AccreditingBodyFactory,
    CataloguePageFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    TopicFactory,
    translate,
)


def png_bytes(colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class PackedCourse:
    course: CoursePage
    bengali: CoursePage
    image_id: int
    document_id: int
    activity_uuid: str


def demo_course() -> PackedCourse:
    catalogue = CataloguePageFactory()
    translate(catalogue, "bn")
    body = AccreditingBodyFactory(name="Bangladesh Public Administration Training Centre", short_name="BPATC")
    topic = TopicFactory(name="Service design", slug="service-design")
    course = CoursePageFactory(
        parent=catalogue,
        title="Digital service design",
        slug="digital-service-design",
        accrediting_body=body,
        credit_hours=Decimal("3.5"),
        curriculum_code="DSD-101",
        description="<p>Start here.</p>",
    )
    course.topics.set([topic])
    course.save_revision().publish()
    module = ModulePageFactory(parent=course, title="Knowing users", slug="knowing-users")
    image = get_image_model()(title="A service map")
    image.file.save("service-map.png", ContentFile(png_bytes()), save=False)
    image.width, image.height = 40, 30
    image.save()
    document = get_document_model()(title="Checklist")
    document.file.save("checklist.txt", ContentFile(b"1. Ask users\n2. Test\n"), save=False)
    document.save()
    activity = import_package(
        io.BytesIO(
            knowledge_check_package(
                title="Who to ask",
                question="Whom do you ask first?",
                choices=[{"text": "Users", "correct": True}, {"text": "Vendors"}],
            )
        ),
        name="who-to-ask.h5p",
    )
    lesson = LessonPageFactory(
        parent=module,
        title="Meet the users",
        slug="meet-the-users",
        body=[
            {"type": "heading", "id": str(uuid.uuid4()), "value": "Users first"},
            {
                "type": "paragraph",
                "id": str(uuid.uuid4()),
                "value": f'<p>Read the <a linktype="document" id="{document.pk}">checklist</a>.</p>',
            },
            {
                "type": "image",
                "id": str(uuid.uuid4()),
                "value": {"image": image.pk, "alt_text": "A map of the service", "caption": ""},
            },
            {"type": "h5p", "id": str(uuid.uuid4()), "value": {"activity": activity.pk, "heading": ""}},
        ],
    )
    LessonPageFactory(parent=module, title="Draft lesson", slug="draft-lesson", live=False)
    bengali = translate(course, "bn", title="ডিজিটাল সেবা নকশা")
    translate(lesson, "bn", title="ব্যবহারকারীদের সাথে পরিচয়")
    return PackedCourse(
        course=course,
        bengali=bengali,
        image_id=image.pk,
        document_id=document.pk,
        activity_uuid=str(activity.uuid),
    )


def rewrite_member(pack: bytes, member: str, data: bytes | None) -> bytes:
    """The pack with one member replaced (or dropped, ``data=None``), everything else byte for byte."""
    source = zipfile.ZipFile(io.BytesIO(pack))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == member:
                if data is not None:
                    target.writestr(info, data)
                continue
            target.writestr(info, source.read(info))
        if member not in source.namelist() and data is not None:
            target.writestr(member, data)
    return out.getvalue()


def resign(pack: bytes, signer, member: str, data: bytes) -> bytes:
    """The pack with ``member`` replaced and the manifest's checksum and signature made again: what a
    signer who means harm (or a broken exporter) could write."""
    import base64
    import hashlib
    import json

    manifest = json.loads(zipfile.ZipFile(io.BytesIO(pack)).read("manifest.json"))
    manifest["members"][member] = hashlib.sha256(data).hexdigest()
    manifest_bytes = json.dumps(manifest).encode()
    pack = rewrite_member(rewrite_member(pack, member, data), "manifest.json", manifest_bytes)
    return rewrite_member(pack, "manifest.sig", base64.b64encode(signer.sign(manifest_bytes)))
