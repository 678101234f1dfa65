"""Statement attachments (xAPI 1.0.3, 2.4.11 and Communication 1.5.2): the bytes of every attachment
without a ``fileUrl`` arrive as a part of a multipart/mixed request, found by its SHA-2, and are kept
once per SHA-2 whichever statements carry them."""

import hashlib

from ..errors import InvalidStatement
from .models import XapiAttachment


def check_attachment_parts(statements: list[dict], parts: dict[str, tuple[str, bytes]]) -> None:
    """Every attachment without a fileUrl has its part, and every part's bytes hash to its sha2."""
    for sha2, (_content_type, content) in parts.items():
        digests = {
            hashlib.sha256(content).hexdigest(),
            hashlib.sha384(content).hexdigest(),
            hashlib.sha512(content).hexdigest(),
        }
        if sha2.lower() not in digests:
            raise InvalidStatement(
                f"The part {sha2[:20]} does not hash to its X-Experience-API-Hash.",
                code="attachment_hash",
                field="attachments",
            )
    wanted = set()
    for index, statement in enumerate(statements):
        for position, attachment in (
            enumerate(statement.get("attachments") or []) if isinstance(statement, dict) else ()
        ):
            if isinstance(attachment, dict) and "fileUrl" not in attachment:
                sha2 = str(attachment.get("sha2", "")).lower()
                wanted.add(sha2)
                if sha2 not in parts:
                    raise InvalidStatement(
                        f"attachments[{position}].sha2: no multipart/mixed part carries this attachment "
                        f"(statement {index}).",
                        code="attachment_missing",
                        field=f"attachments[{position}].sha2",
                    )
    extra = set(parts) - wanted
    if extra:
        raise InvalidStatement(
            "A part matches no attachment of the statements.", code="attachment_unused", field="attachments"
        )


def store_attachment_parts(parts: dict[str, tuple[str, bytes]]) -> None:
    existing = set(XapiAttachment.objects.filter(sha2__in=list(parts)).values_list("sha2", flat=True))
    XapiAttachment.objects.bulk_create(
        [
            XapiAttachment(sha2=sha2, content_type=kind, content=content)
            for sha2, (kind, content) in parts.items()
            if sha2 not in existing
        ],
        ignore_conflicts=True,
    )


def attachment_contents(sha2s: set[str]) -> dict[str, tuple[str, bytes]]:
    rows = XapiAttachment.objects.filter(sha2__in=list(sha2s)).values_list("sha2", "content_type", "content")
    return {sha2: (kind, bytes(content)) for sha2, kind, content in rows}
