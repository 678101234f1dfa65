"""Build course content from the YAML files in ``fixtures/``: the demo site and its translations.

Pages are found by locale and slug path, snippets by locale and slug, so loading the same files
again creates nothing and publishes nothing: a page that exists is left exactly as it is.
"""

import io
import uuid
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from wagtail.models import Locale, Page, Site

from .activities import ACTIVITY_BLOCK_TYPES
from .models import AccreditingBody, CataloguePage, CoursePage, LessonPage, ModulePage, Topic

BLOCK_NAMESPACE = uuid.UUID("6f1c2d4e-8a53-4f0b-9b7e-1d2c3b4a5f60")
WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"


class SeedError(ValueError):
    """A fixture file that cannot be loaded; the message names the file and the problem."""


def read_yaml(path: Path, *, expect: type = dict) -> Any:
    try:
        # libyaml's loader when PyYAML has it: the demo's fixtures parse ten times faster than in Python.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise SeedError(f"{path}: {exc}") from exc
    if not isinstance(data, expect):
        raise SeedError(f"{path}: expected a {'list' if expect is list else 'mapping'} at the top level")
    return data


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


def _stream(body: Iterable[dict[str, Any]], *, seed: str) -> list[dict[str, Any]]:
    """Turn the fixture's block list into StreamField raw data with stable block ids."""
    blocks = []
    for index, item in enumerate(body or []):
        if not isinstance(item, dict) or len(item) != 1:
            raise SeedError(f"{seed}: block {index + 1} must be a mapping with one key (its type)")
        block_type, value = next(iter(item.items()))
        if block_type == "knowledge_check":
            value = {
                "question": value["question"],
                "choices": [{"text": c["text"], "correct": bool(c.get("correct"))} for c in value["choices"]],
                "explanation": value.get("explanation", ""),
            }
        elif block_type == "callout":
            value = {"kind": value.get("kind", "note"), "text": value["text"]}
        elif block_type == "h5p":
            value = _h5p_block_value(value, seed=f"{seed}/{index}")
        elif block_type not in {"heading", "paragraph"}:
            raise SeedError(f"{seed}: block {index + 1} has an unknown type {block_type!r}")
        blocks.append({"type": block_type, "value": value, "id": str(uuid.uuid5(BLOCK_NAMESPACE, f"{seed}/{index}"))})
    return blocks


def _h5p_block_value(value: dict[str, Any], *, seed: str) -> dict[str, Any]:
    """A demo knowledge check, packaged with the project's own H5P content type and imported through
    the same validation as an upload; loading the fixtures again reuses the activity."""
    from .h5p.packaging import PackagingError, knowledge_check_package
    from .h5p.services import import_package
    from .h5p.validation import PackageRefused
    from .models import H5PActivity

    filename = f"demo-{uuid.uuid5(BLOCK_NAMESPACE, seed)}.h5p"
    activity = H5PActivity.objects.filter(original_filename=filename).first()
    if activity is None:
        try:
            package = knowledge_check_package(
                title=value["title"],
                question=value["question"],
                choices=value["choices"],
                language=seed.split("/", 1)[0],
                explanation=value.get("explanation", ""),
            )
            activity = import_package(io.BytesIO(package), name=filename)
        except (PackagingError, PackageRefused, KeyError) as exc:
            raise SeedError(f"{seed}: the H5P activity cannot be built: {exc}") from exc
    return {"activity": activity.pk, "heading": value.get("heading", "")}


def _share_activity_ids(blocks: list[dict[str, Any]], *, source) -> list[dict[str, Any]]:
    """Give a translation's activity blocks the ids of the source lesson's, in order per block type, as
    Wagtail's own translation keeps them: the same id names the same activity in every language."""
    source_ids: dict[str, list[str]] = {}
    for block in source or []:
        if block.get("type") in ACTIVITY_BLOCK_TYPES:
            source_ids.setdefault(block["type"], []).append(block["id"])
    for block in blocks:
        ids = source_ids.get(block["type"])
        if ids:
            block["id"] = ids.pop(0)
    return blocks


def ensure_locales(codes: Iterable[str]) -> dict[str, Locale]:
    return {code: _locale(code) for code in codes}


@transaction.atomic
def seed_site(data: dict[str, Any], *, locales: dict[str, Locale]) -> dict[str, CataloguePage]:
    """The catalogue (the site's home page) in every locale, the accrediting bodies and the topics."""
    for entry in data.get("accrediting_bodies", []):
        _seed_snippet(
            AccreditingBody,
            locales,
            lookup={"short_name": entry["slug"]},
            values={"name": entry["name"], "website": entry.get("website", "")},
            translated={"bn": {"name": entry.get("name_bn") or entry["name"]}},
        )
    for entry in data.get("topics", []):
        _seed_snippet(
            Topic,
            locales,
            lookup={"slug": entry["slug"]},
            values={"name": entry["name"]},
            translated={"bn": {"name": entry.get("name_bn") or entry["name"]}},
        )

    catalogue_data = data["catalogue"]
    english = locales["en"]
    root = Page.get_first_root_node()
    catalogue = CataloguePage.objects.filter(locale=english, depth=2).first()
    if catalogue is None:
        catalogue = CataloguePage(
            title=catalogue_data["title"], slug="catalogue", intro=catalogue_data.get("intro", ""), locale=english
        )
        root.add_child(instance=catalogue)
        _publish(catalogue)
        site = Site.objects.filter(is_default_site=True).first()
        welcome = site.root_page if site else None
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=catalogue, is_default_site=True)
        else:
            site.root_page = catalogue
            site.site_name = "Digital skills for government"
            site.save()
        if welcome is not None and welcome.title == WAGTAIL_WELCOME_TITLE and not welcome.get_children().exists():
            welcome.delete()
    catalogues = {"en": catalogue}
    for code, locale in locales.items():
        if code == "en":
            continue
        translation = catalogue.get_translation_or_none(locale)
        if translation is None:
            translation = catalogue.copy_for_translation(locale)
            bn = catalogue_data.get(code, {})
            translation.title = bn.get("title", catalogue.title)
            translation.intro = bn.get("intro", catalogue.intro)
            translation.save()
            _publish(translation)
        catalogues[code] = translation.specific
    return catalogues


def _seed_snippet(model, locales, *, lookup, values, translated) -> None:
    source = model.objects.filter(locale=locales["en"], **lookup).first()
    if source is None:
        source = model.objects.create(locale=locales["en"], **lookup, **values)
    for code, locale in locales.items():
        if code == "en" or source.get_translation_or_none(locale) is not None:
            continue
        copy = source.copy_for_translation(locale)
        for field, value in translated.get(code, {}).items():
            setattr(copy, field, value)
        copy.save()


@transaction.atomic
def seed_course(data: dict[str, Any], *, catalogues: dict[str, CataloguePage], source_name: str) -> CoursePage:
    """One course in its source locale, then its translations; existing pages are left alone."""
    source_code = data.get("locale", "en")
    if source_code not in catalogues:
        raise SeedError(f"{source_name}: unknown locale {source_code!r}")
    course = _seed_course_tree(
        data, catalogue=catalogues[source_code], source_name=source_name, language=data.get("language", source_code)
    )
    for code, translation in (data.get("translations") or {}).items():
        if code not in catalogues:
            raise SeedError(f"{source_name}: unknown translation locale {code!r}")
        if course.get_translation_or_none(catalogues[code].locale) is not None:
            continue
        _translate_course_tree(course, translation, catalogue=catalogues[code], source_name=source_name)
    return course


def _course_fields(data: dict[str, Any], *, locale: Locale, language: str) -> dict[str, Any]:
    fields = {
        "title": data["title"],
        "slug": data["slug"],
        "summary": data["summary"].strip(),
        "description": data.get("description", ""),
        "audience": data["audience"],
        "level": data.get("level", "foundation"),
        "language": language,
        "estimated_hours": Decimal(str(data.get("estimated_hours", 1))),
    }
    accreditation = data.get("accreditation")
    if accreditation:
        body = AccreditingBody.objects.get(short_name=accreditation["body"], locale__language_code="en")
        fields.update(
            accrediting_body=body.get_translation_or_none(locale) or body,
            credit_hours=Decimal(str(accreditation["credit_hours"])),
            curriculum_code=accreditation["curriculum_code"],
        )
    certificate = data.get("certificate") or {}
    if certificate.get("valid_months"):
        fields["certificate_valid_months"] = int(certificate["valid_months"])
        fields["recertification_window_days"] = int(certificate.get("recertification_window_days", 30))
    return fields


def _relate_course(course: CoursePage, data: dict[str, Any], *, catalogue: CataloguePage) -> None:
    course.topics.set(Topic.objects.filter(locale=catalogue.locale, slug__in=data.get("topics", [])))
    prerequisites = data.get("prerequisites") or []
    course.prerequisites.set(CoursePage.objects.child_of(catalogue).filter(slug__in=prerequisites))


def _seed_course_tree(data, *, catalogue: CataloguePage, source_name: str, language: str) -> CoursePage:
    existing = CoursePage.objects.child_of(catalogue).filter(slug=data["slug"]).first()
    if existing is not None:
        return existing
    course = CoursePage(**_course_fields(data, locale=catalogue.locale, language=language))
    catalogue.add_child(instance=course)
    _relate_course(course, data, catalogue=catalogue)
    course.full_clean()
    course.save()
    _publish(course)
    for module_data in data.get("modules", []):
        module = ModulePage(
            title=module_data["title"], slug=module_data["slug"], summary=module_data.get("summary", "")
        )
        course.add_child(instance=module)
        _publish(module)
        for lesson_data in module_data.get("lessons", []):
            lesson = LessonPage(
                title=lesson_data["title"],
                slug=lesson_data["slug"],
                summary=lesson_data.get("summary", ""),
                required=lesson_data.get("required", True),
                estimated_minutes=lesson_data.get("duration_minutes", 15),
                body=_stream(
                    lesson_data.get("body", []),
                    seed=f"{catalogue.locale.language_code}/{data['slug']}/{module.slug}/{lesson_data['slug']}",
                ),
            )
            module.add_child(instance=lesson)
            _publish(lesson)
    return course


def _translate_course_tree(course: CoursePage, data, *, catalogue: CataloguePage, source_name: str) -> None:
    """Copy the course, its modules and lessons into another locale, with whatever text is translated.

    Untranslated modules and lessons are copied as they are (Wagtail's own translation copies), so a
    Bengali visitor still reaches every lesson of a course taught in English.
    """
    locale = catalogue.locale
    translation = course.copy_for_translation(locale)
    translation.title = data.get("title", course.title)
    translation.summary = data.get("summary", course.summary).strip()
    if data.get("language"):
        translation.language = data["language"]
    elif data.get("modules"):
        translation.language = locale.language_code
    if course.accrediting_body_id:
        translation.accrediting_body = (
            course.accrediting_body.get_translation_or_none(locale) or course.accrediting_body
        )
    source_data = {
        "topics": list(course.topics.values_list("slug", flat=True)),
        "prerequisites": list(course.prerequisites.values_list("slug", flat=True)),
    }
    _relate_course(translation, source_data, catalogue=catalogue)
    translation.save()
    _publish(translation)
    modules_data = {m["slug"]: m for m in data.get("modules") or []}
    for module in ModulePage.objects.child_of(course).order_by("path"):
        module_data = modules_data.get(module.slug, {})
        module_copy = module.copy_for_translation(locale)
        module_copy.title = module_data.get("title", module.title)
        module_copy.summary = module_data.get("summary", module.summary)
        module_copy.save()
        _publish(module_copy)
        lessons_data = {lesson["slug"]: lesson for lesson in module_data.get("lessons") or []}
        for lesson in LessonPage.objects.child_of(module).order_by("path"):
            lesson_copy = lesson.copy_for_translation(locale)
            lesson_data = lessons_data.get(lesson.slug)
            if lesson_data:
                lesson_copy.title = lesson_data["title"]
                lesson_copy.summary = lesson_data.get("summary", "")
                lesson_copy.body = _share_activity_ids(
                    _stream(
                        lesson_data.get("body", []),
                        seed=f"{locale.language_code}/{course.slug}/{module.slug}/{lesson.slug}",
                    ),
                    source=lesson.body.raw_data,
                )
            lesson_copy.save()
            _publish(lesson_copy)


def seed_courses(folder: Path, *, catalogues: dict[str, CataloguePage]) -> list[CoursePage]:
    """Every course file in a folder, each after the courses it names as prerequisites."""
    pending = {path: read_yaml(path) for path in sorted(folder.glob("*.yaml"))}
    loaded: dict[str, CoursePage] = {}
    while pending:
        ready = [path for path, data in pending.items() if set(data.get("prerequisites") or []) <= set(loaded)]
        if not ready:
            raise SeedError(f"prerequisites cannot be met for: {', '.join(path.name for path in pending)}")
        for path in ready:
            data = pending.pop(path)
            loaded[data["slug"]] = seed_course(data, catalogues=catalogues, source_name=path.name)
    return list(loaded.values())
