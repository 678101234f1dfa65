"""Reading frameworks, competencies and programmes: identity across languages and reader copies.

A framework, competency or programme is named by its ``translation_key``; learning records point at
its source copy (the lowest id of the group), as they do for pages.
"""

import uuid
from collections.abc import Iterable

from django.db.models import F, Model, OuterRef, QuerySet, Subquery

from .models import Competency, CompetencyFramework, Programme, ProgrammeCourse


def _source_pk(model: type[Model]) -> Subquery:
    return Subquery(model.objects.filter(translation_key=OuterRef("translation_key")).order_by("pk").values("pk")[:1])


def source_copies(model: type[Model]) -> QuerySet:
    """Each translation group's source copy, once."""
    return model.objects.annotate(source_pk=_source_pk(model)).filter(pk=F("source_pk"))


def source_copy(obj: Model) -> Model:
    return type(obj).objects.filter(translation_key=obj.translation_key).order_by("pk").first()


def in_language(objects: Iterable[Model], language_code: str) -> list[Model]:
    """Each object's copy in ``language_code`` where one exists, else the object: one query a model."""
    objects = list(objects)
    if not objects:
        return []
    model = type(objects[0])
    copies = {
        copy.translation_key: copy
        for copy in model.objects.filter(
            translation_key__in=[obj.translation_key for obj in objects], locale__language_code=language_code
        )
    }
    return [copies.get(obj.translation_key, obj) for obj in objects]


def competencies_by_key(keys: Iterable[uuid.UUID], language_code: str) -> list[Competency]:
    """One competency per translation key, in the reader's language where it is written, by code."""
    return _one_per_key(Competency.objects.filter(translation_key__in=set(keys)), language_code)


def competencies_of_course(course_translation_key: uuid.UUID, language_code: str) -> list[Competency]:
    """The competencies a course builds (named on any copy of it), one per translation key, in the
    reader's language where written: ``competencies_by_key(course_competency_keys(...))`` in one query."""
    from ..models import CoursePage

    named = CoursePage.competencies.through.objects.filter(coursepage__translation_key=course_translation_key)
    return _one_per_key(
        Competency.objects.filter(translation_key__in=named.values("competency__translation_key")), language_code
    )


def _one_per_key(competencies, language_code: str) -> list[Competency]:
    chosen: dict[uuid.UUID, Competency] = {}
    for competency in competencies.select_related("locale", "framework").order_by("pk"):
        current = chosen.get(competency.translation_key)
        if current is None or (
            competency.locale.language_code == language_code and current.locale.language_code != language_code
        ):
            chosen[competency.translation_key] = competency
    return sorted(chosen.values(), key=lambda competency: (competency.code, competency.name))


def framework_by_identifier(identifier: uuid.UUID, language_code: str = "") -> CompetencyFramework | None:
    """The framework a CASE identifier names, in ``language_code`` if written in it, else its source."""
    copies = list(
        CompetencyFramework.objects.filter(translation_key=identifier).select_related("locale").order_by("pk")
    )
    if not copies:
        return None
    return next((c for c in copies if c.locale.language_code == language_code), copies[0])


def framework_competencies(framework: CompetencyFramework) -> list[Competency]:
    """The framework's competencies (of every copy of it), once each, in the framework's language."""
    keys = Competency.objects.filter(framework__translation_key=framework.translation_key).values_list(
        "translation_key", flat=True
    )
    return competencies_by_key(keys, framework.locale.language_code)


def programme_rows(programme: Programme) -> list[ProgrammeCourse]:
    """The courses of a programme's source copy, in order, each with its course."""
    source = source_copy(programme)
    return list(ProgrammeCourse.objects.filter(programme=source).select_related("course").order_by("sort_order", "pk"))


def programmes_with_course(course_translation_key: uuid.UUID) -> list[Programme]:
    """The source copies of the programmes that include any copy of a course."""
    keys = ProgrammeCourse.objects.filter(course__translation_key=course_translation_key).values(
        "programme__translation_key"
    )
    return list(source_copies(Programme).filter(translation_key__in=keys).order_by("pk"))


def programme_competency_keys(programme: Programme) -> set[uuid.UUID]:
    """The competencies a programme builds (named on any copy of it)."""
    return set(
        Programme.competencies.through.objects.filter(programme__translation_key=programme.translation_key).values_list(
            "competency__translation_key", flat=True
        )
    )


def course_competency_keys(course_translation_keys: Iterable[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    """For each course (by translation key), the competencies any of its copies names."""
    from ..models import CoursePage

    found: dict[uuid.UUID, set[uuid.UUID]] = {}
    rows = CoursePage.competencies.through.objects.filter(
        coursepage__translation_key__in=list(course_translation_keys)
    ).values_list("coursepage__translation_key", "competency__translation_key")
    for course_key, competency_key in rows:
        found.setdefault(course_key, set()).add(competency_key)
    return found
