"""The documents of the State, Activity Profile and Agent Profile resources (xAPI 1.0.3, Communication
2.3-2.6), with concurrency control: a write that names an ETag (If-Match) or asks for a new document
(If-None-Match: *) is refused when the document is not in that state, and a profile write that names
neither over an existing document is a conflict, as the specification asks."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..errors import LearningError
from .models import DocumentKind, XapiDocument


class PreconditionFailed(LearningError):
    status = 412


class DocumentConflict(LearningError):
    status = 409


@dataclass(frozen=True)
class DocumentKey:
    kind: str
    document_id: str = ""
    activity_id: str = ""
    agent_key: str = ""
    registration: str = ""

    def scope(self) -> dict:
        """Every field but the document id: what a list or a DELETE of all documents covers."""
        return {
            "kind": self.kind,
            "activity_id": self.activity_id,
            "agent_key": self.agent_key,
            "registration": self.registration,
        }


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324 - an ETag, as xAPI 1.0.3 suggests, not security


def get_document(key: DocumentKey) -> XapiDocument | None:
    return XapiDocument.objects.filter(**key.scope(), document_id=key.document_id).first()


def document_ids(key: DocumentKey, *, since: datetime | None = None) -> list[str]:
    documents = XapiDocument.objects.filter(**key.scope())
    if since is not None:
        documents = documents.filter(updated_at__gt=since)
    return list(documents.order_by("document_id").values_list("document_id", flat=True))


def _check_preconditions(key: DocumentKey, current: XapiDocument | None, if_match, if_none_match, *, put: bool):
    if if_match is not None:
        tags = {tag.strip().strip('"') for tag in if_match.split(",")}
        if current is None or ("*" not in tags and current.etag not in tags):
            raise PreconditionFailed("The document is not the one If-Match names.", code="precondition_failed")
    if if_none_match is not None and current is not None:
        tags = {tag.strip().strip('"') for tag in if_none_match.split(",")}
        if "*" in tags or current.etag in tags:
            raise PreconditionFailed("The document already exists.", code="precondition_failed")
    if put and current is not None and if_match is None and if_none_match is None and key.kind != DocumentKind.STATE:
        raise DocumentConflict(
            "This document exists: send If-Match with its ETag (or If-None-Match: *) to change it.",
            code="precondition_required",
        )


def _merged(current: XapiDocument, content: bytes, content_type: str) -> bytes:
    """POST merges a JSON object into a JSON object (top-level properties replaced); anything else is a 400."""
    try:
        old = json.loads(bytes(current.content))
        new = json.loads(content)
    except (UnicodeDecodeError, ValueError):
        old = new = None
    if not (isinstance(old, dict) and isinstance(new, dict)) or "json" not in content_type.lower():
        raise LearningError(
            "Only a JSON object can be merged into a JSON document: use PUT to replace it.", code="not_mergeable"
        )
    return json.dumps({**old, **new}, separators=(",", ":")).encode()


def write_document(
    key: DocumentKey,
    *,
    content: bytes,
    content_type: str,
    merge: bool,
    if_match: str | None = None,
    if_none_match: str | None = None,
) -> XapiDocument:
    """PUT (``merge`` False) stores the bytes as they are; POST merges JSON. Returns the document."""
    if merge:
        try:
            parsed = json.loads(content)
        except (UnicodeDecodeError, ValueError):
            parsed = None
        if not isinstance(parsed, dict):
            raise LearningError("POST takes a JSON object to merge: use PUT for anything else.", code="not_mergeable")
    with transaction.atomic():
        current = XapiDocument.objects.select_for_update().filter(**key.scope(), document_id=key.document_id).first()
        _check_preconditions(key, current, if_match, if_none_match, put=not merge)
        if current is not None and merge:
            content = _merged(current, content, content_type)
            content_type = "application/json"
        fields = {
            "content": content,
            "content_type": content_type,
            "etag": etag_of(content),
            "updated_at": timezone.now(),
        }
        if current is not None:
            for name, value in fields.items():
                setattr(current, name, value)
            current.save(update_fields=list(fields))
            return current
        try:
            with transaction.atomic():
                return XapiDocument.objects.create(**key.scope(), document_id=key.document_id, **fields)
        except IntegrityError:
            raise PreconditionFailed(
                "The document was written meanwhile: read it again.", code="precondition_failed"
            ) from None


def delete_documents(key: DocumentKey, *, if_match: str | None = None, every: bool = False) -> None:
    """Delete one document (If-Match checked), or with ``every`` all of the key's scope (State only)."""
    with transaction.atomic():
        if every:
            XapiDocument.objects.filter(**key.scope()).delete()
            return
        current = XapiDocument.objects.select_for_update().filter(**key.scope(), document_id=key.document_id).first()
        _check_preconditions(key, current, if_match, None, put=False)
        if current is not None:
            current.delete()
