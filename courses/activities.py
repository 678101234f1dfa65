"""Activity identifiers: the stable IRI by which learning records name a scored block of a lesson.

An activity is a block of a lesson that a learner answers (a knowledge check, an H5P activity, a SCORM
package). Its
IRI, ``<site>/activities/<lesson id>/<block id>``, survives renaming, moving and translating the
lesson's page, so xAPI statements and activity results keep pointing at the same thing.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from wagtail.blocks import StreamValue

from foundation.site_address import site_url

from .models import LessonPage
from .publication import published_for_learners

ACTIVITY_BLOCK_TYPES = {"knowledge_check", "h5p", "scorm"}
_ACTIVITY_PATH = re.compile(r"^/activities/(?P<lesson_id>\d+)/(?P<block_id>[0-9a-f-]{1,64})/?$")


class ActivityNotFound(LookupError):
    """The IRI names no activity in a published lesson of this site."""


@dataclass(frozen=True)
class Activity:
    lesson: LessonPage
    block_id: str
    block_type: str
    value: object

    @property
    def iri(self) -> str:
        return activity_iri(lesson_id=self.lesson.pk, block_id=self.block_id)


def site_origin() -> str:
    return site_url()


def activity_iri(*, lesson_id: int, block_id: str) -> str:
    return f"{site_origin()}/activities/{lesson_id}/{block_id}"


def parse_activity_iri(iri: str) -> tuple[int, str]:
    """Return (lesson id, block id) of one of this site's activity IRIs, or raise ActivityNotFound."""
    parts = urlsplit(iri or "")
    origin = urlsplit(site_origin())
    match = _ACTIVITY_PATH.match(parts.path)
    if parts.scheme not in {"http", "https"} or parts.netloc != origin.netloc or match is None:
        raise ActivityNotFound(f"not an activity of this site: {iri!r}")
    return int(match["lesson_id"]), match["block_id"]


def find_block(body: StreamValue, block_id: str):
    return next((block for block in body if block.id == block_id), None)


def resolve_activity(iri: str) -> Activity:
    """The published lesson block an IRI names; drafts, unknown blocks and non-activities are not found."""
    lesson_id, block_id = parse_activity_iri(iri)
    lesson = published_for_learners(LessonPage.objects.filter(pk=lesson_id)).first()
    block = find_block(lesson.body, block_id) if lesson else None
    if block is None or block.block_type not in ACTIVITY_BLOCK_TYPES:
        raise ActivityNotFound(f"no published activity at {iri!r}")
    return Activity(lesson=lesson, block_id=block_id, block_type=block.block_type, value=block.value)
