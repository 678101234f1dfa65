"""The demo competency framework and programme (fixtures/demo/programmes.yaml); once."""

from typing import Any

from django.db import transaction
from wagtail.models import Locale

from ..models import CoursePage
from .models import Competency, CompetencyFramework, Programme, ProgrammeCourse


def _translate(obj, locale: Locale, **fields):
    """The object's copy in ``locale``, made once with Wagtail's own copy, with ``fields`` set."""
    copy = obj.get_translation_or_none(locale)
    if copy is None:
        copy = obj.copy_for_translation(locale)
        for name, value in fields.items():
            setattr(copy, name, value)
        copy.save()
    return copy


@transaction.atomic
def seed_demo_programmes(data: dict[str, Any], *, locales: dict[str, Locale]) -> Programme:
    english, bengali = locales["en"], locales.get("bn")
    spec = data["framework"]
    framework, _created = CompetencyFramework.objects.get_or_create(
        title=spec["title"],
        locale=english,
        defaults={
            "creator": spec["creator"],
            "version": spec.get("version", ""),
            "description": spec.get("description", ""),
        },
    )
    bengali_framework = (
        _translate(framework, bengali, title=spec["title_bn"]) if bengali and spec.get("title_bn") else None
    )
    by_code = {}
    for entry in spec["competencies"]:
        competency, _created = Competency.objects.get_or_create(
            framework=framework,
            code=entry["code"],
            defaults={"name": entry["name"], "kind": entry["kind"], "locale": english},
        )
        if bengali_framework is not None and entry.get("name_bn"):
            _translate(competency, bengali, name=entry["name_bn"], framework=bengali_framework)
        by_code[entry["code"]] = competency
    for slug, codes in data.get("courses", {}).items():
        course = CoursePage.objects.get(slug=slug, locale=english)
        missing = [by_code[code] for code in codes if not course.competencies.filter(pk=by_code[code].pk).exists()]
        if missing:
            course.competencies.add(*missing)
            course.save_revision().publish()
    spec = data["programme"]
    programme = Programme.objects.filter(slug=spec["slug"], locale=english).first()
    if programme is None:
        programme = Programme(
            slug=spec["slug"],
            title=spec["title"],
            summary=spec.get("summary", ""),
            minimum_courses=spec.get("minimum_courses"),
            locale=english,
        )
        programme.save()
        for order, row in enumerate(spec["courses"]):
            ProgrammeCourse.objects.create(
                programme=programme,
                course=CoursePage.objects.get(slug=row["course"], locale=english),
                optional=row.get("optional", False),
                sort_order=order,
            )
        programme.competencies.set([by_code[code] for code in spec.get("competencies", [])])
        programme.save()
        if bengali and spec.get("title_bn"):
            _translate(programme, bengali, title=spec["title_bn"])
    return programme
