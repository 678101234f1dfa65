"""Bringing a pack into this site: a plan first (what will be created, updated or reused, and who
signed it), then the import itself in one transaction.

Pages are found by ``translation_key`` and locale, so importing the same pack again updates the same
pages. Each page's content becomes a new revision: a draft submitted to the site's workflow (the
accreditation review) by default, or published when the importing admin says so (pages that were
live on the exporting site; drafts stay drafts). Any refusal rolls everything back and deletes the
files already written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from ..archives import PackageRefused, Problem, Source, refuse
from ..blocks import LessonBodyBlock
from ..models import (
    AccreditingBody,
    CataloguePage,
    CoursePage,
    H5PActivity,
    LessonPage,
    ModulePage,
    ScormPackage,
    Topic,
)
from . import files as pack_files
from .reading import CONTENT, OpenedPack, open_pack
from .references import rewrite_rich_text, walk

MODELS = {"course": CoursePage, "module": ModulePage, "lesson": LessonPage}
SNIPPETS = {
    "accrediting_body": (AccreditingBody, ["name", "short_name", "website"]),
    "topic": (Topic, ["name", "slug"]),
}
DECIMAL_FIELDS = {"estimated_hours", "credit_hours"}


@dataclass(frozen=True)
class PlannedPage:
    kind: str
    locale: str
    title: str
    action: str  # "create", "update", or "alias" (a copy that follows its source, created or left as it is)


@dataclass
class ImportPlan:
    signer_name: str
    signer_key: str
    trusted: bool
    titles: dict[str, str]
    pages: list[PlannedPage] = field(default_factory=list)
    new_files: list[str] = field(default_factory=list)
    reused_files: list[str] = field(default_factory=list)

    @property
    def creates(self) -> int:
        return sum(1 for page in self.pages if page.action == "create")

    @property
    def updates(self) -> int:
        return sum(1 for page in self.pages if page.action == "update")


@dataclass
class ImportResult:
    plan: ImportPlan
    courses: list[CoursePage]
    created_files: list[str]


def _label(record: dict) -> str:
    return f"{record.get('kind')} “{record.get('fields', {}).get('title', '?')}” ({record.get('locale')})"


def _locale(code: str, *, create: bool) -> Locale | None:
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None and create:
        locale = Locale.objects.create(language_code=code)
    return locale


def _content_languages() -> set[str]:
    languages = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or settings.LANGUAGES
    return {code for code, _name in languages}


def _existing(record: dict, locale: Locale | None) -> Page | None:
    if locale is None:
        return None
    page = Page.objects.filter(translation_key=record["translation_key"], locale=locale).first()
    return page.specific if page is not None else None


def plan_import(pack: OpenedPack) -> ImportPlan:
    """What importing ``pack`` would do; refuses (``PackageRefused``) what the import would refuse."""
    try:
        return _plan(pack)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, PackageRefused):
            raise
        raise refuse(CONTENT, _("content.json is malformed (%(error)s)") % {"error": repr(exc)}) from None


def _plan(pack: OpenedPack) -> ImportPlan:
    plan = ImportPlan(
        signer_name=pack.signer_name,
        signer_key=pack.signer_key,
        trusted=pack.trusted,
        titles=dict(pack.manifest.get("course", {}).get("titles", {})),
    )
    problems: list[Problem] = []
    in_pack: set[tuple[str, str]] = set()
    for record in pack.content["pages"]:
        label = _label(record)
        model = MODELS.get(record.get("kind"))
        code = record.get("locale")
        if model is None or not record.get("translation_key") or not isinstance(record.get("fields"), dict):
            problems.append(Problem(label, _("not a course, module or lesson record")))
            continue
        if code not in _content_languages():
            problems.append(Problem(label, _("the language %(code)r is not one of this site's") % {"code": code}))
            continue
        locale = _locale(code, create=False)
        existing = _existing(record, locale)
        if existing is not None and not isinstance(existing, model):
            problems.append(Problem(label, _("this site has a different kind of page with the same identity")))
            continue
        if existing is None:
            if record["kind"] == "course":
                if locale is None or not CataloguePage.objects.filter(locale=locale).exists():
                    problems.append(Problem(label, _("this site has no catalogue in that language")))
            elif (record.get("parent"), code) not in in_pack and not (
                locale and Page.objects.filter(translation_key=record.get("parent"), locale=locale).exists()
            ):
                problems.append(Problem(label, _("its parent page is neither in the pack nor on this site")))
        if record["kind"] == "lesson":
            try:
                walk(LessonBodyBlock(), record["fields"].get("body") or [], lambda _kind, value: value)
            except (TypeError, ValueError, KeyError, AttributeError):
                problems.append(Problem(label, _("its body is not a lesson body")))
                continue
        in_pack.add((record["translation_key"], code))
        if existing is not None:
            action = "alias" if existing.alias_of_id else "update"
        else:
            action = "alias" if record.get("alias_of") else "create"
        plan.pages.append(PlannedPage(record["kind"], code, str(record["fields"].get("title", "")), action))
    if problems:
        raise PackageRefused(problems)
    pack_files.check_files(pack)
    for record in pack.content.get("images", []):
        target = plan.reused_files if pack_files.existing_image(record) else plan.new_files
        target.append(_("image %(title)s") % {"title": record["title"]})
    for record in pack.content.get("documents", []):
        target = plan.reused_files if pack_files.existing_document(record) else plan.new_files
        target.append(_("document %(title)s") % {"title": record["title"]})
    for key, model, label in (("h5p", H5PActivity, _("H5P activity")), ("scorm", ScormPackage, _("SCORM package"))):
        for record in pack.content.get(key, []):
            target = plan.reused_files if model.objects.filter(uuid=record["uuid"]).exists() else plan.new_files
            target.append(f"{label} {record['title']}")
    return plan


def import_pack(source: Source, *, name: str, user=None, publish: bool = False, trust: bool = False) -> ImportResult:
    """Import a pack, or refuse it by name having changed nothing. ``trust``: the admin confirmed an
    untrusted signer; ``publish``: publish the pages (else they go to review as drafts)."""
    pack = open_pack(source, name=name, trust=trust)
    plan = plan_import(pack)
    stored = pack_files.StoredFiles()
    try:
        with transaction.atomic():
            pack_files.store_files(pack, stored=stored, user=user)
            snippets = _import_snippets(pack)
            courses = []
            for record in pack.content["pages"]:
                page = _import_page(record, stored=stored, snippets=snippets, user=user, publish=publish)
                if isinstance(page, CoursePage):
                    courses.append(page)
    except BaseException as exc:
        stored.undo()
        if isinstance(exc, (KeyError, TypeError, AttributeError)):
            raise refuse(CONTENT, _("content.json is malformed (%(error)s)") % {"error": repr(exc)}) from None
        raise
    return ImportResult(plan=plan, courses=courses, created_files=stored.created)


def _import_snippets(pack: OpenedPack) -> dict[tuple[str, str, str], int]:
    """Accrediting bodies and topics by (model, translation_key, locale), updated or created."""
    found: dict[tuple[str, str, str], int] = {}
    for record in pack.content.get("snippets", []):
        model, names = SNIPPETS[record["model"]]
        locale = _locale(record["locale"], create=True)
        instance = model.objects.filter(translation_key=record["translation_key"], locale=locale).first()
        if instance is None and model is Topic:
            instance = Topic.objects.filter(slug=record["slug"], locale=locale).first()
        if instance is None:
            instance = model(translation_key=record["translation_key"], locale=locale)
        for name in names:
            setattr(instance, name, record.get(name) or "")
        try:
            instance.full_clean()
        except ValidationError as exc:
            raise refuse(f"{record['model']} {record.get('name')}", "; ".join(exc.messages)) from None
        instance.save()
        found[(record["model"], record["translation_key"], record["locale"])] = instance.pk
    return found


def _resolve(value: Any, *, kind: str, stored: pack_files.StoredFiles, locale: Locale) -> Any:
    if kind == "richtext":
        return _rich_text(value, stored=stored, locale=locale)
    table = {"image": stored.images, "document": stored.documents, "h5p": stored.h5p, "scorm": stored.scorm}[kind]
    return table.get(str(value))


def _rich_text(html: str, *, stored: pack_files.StoredFiles, locale: Locale) -> str:
    def page(reference: str) -> str | None:
        key = reference.removeprefix("key:")
        candidates = Page.objects.filter(translation_key=key) if key != reference else Page.objects.none()
        found = candidates.filter(locale=locale).first() or candidates.order_by("pk").first()
        return str(found.pk) if found else None

    def document(reference: str) -> str | None:
        pk = stored.documents.get(reference.removeprefix("sha256:"))
        return str(pk) if pk else None

    return rewrite_rich_text(html, page=page, document=document)


def _fields(record: dict, *, stored: pack_files.StoredFiles, locale: Locale) -> dict[str, Any]:
    fields = dict(record["fields"])
    for name in DECIMAL_FIELDS & set(fields):
        fields[name] = None if fields[name] is None else Decimal(str(fields[name]))
    if "body" in fields:
        fields["body"] = walk(
            LessonBodyBlock(),
            fields["body"],
            lambda kind, value: _resolve(value, kind=kind, stored=stored, locale=locale),
        )
    if "description" in fields:
        fields["description"] = _rich_text(fields["description"] or "", stored=stored, locale=locale)
    return fields


def _import_page(record: dict, *, stored, snippets, user, publish: bool) -> Page:
    locale = _locale(record["locale"], create=True)
    model = MODELS[record["kind"]]
    page = _existing(record, locale)
    if page is not None and page.alias_of_id:
        return page  # an alias follows its source, which the pack updates
    if page is None and record.get("alias_of"):
        return _alias(record, locale=locale, user=user)
    fields = _fields(record, stored=stored, locale=locale)
    created = page is None
    if created:
        page = model(translation_key=record["translation_key"], locale=locale, live=False, owner=user)
    for name, value in fields.items():
        setattr(page, name, value)
    if record["kind"] == "course":
        _course_relations(page, record, snippets=snippets, locale=locale)
    try:
        if created:
            page.has_unpublished_changes = True
            _parent(record, locale).add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
    except ValidationError as exc:
        raise refuse(_label(record), "; ".join(exc.messages)) from None
    if publish and record.get("live"):
        revision.publish(user=user)
    else:
        workflow = page.get_workflow()
        if workflow is not None and workflow.active and not page.workflow_in_progress:
            workflow.start(page, user)
    return page


def _alias(record: dict, *, locale: Locale, user) -> Page:
    key, code = record["alias_of"]
    source = Page.objects.filter(translation_key=key, locale__language_code=code).first()
    if source is None:
        raise refuse(_label(record), _("the page it is an alias of is neither in the pack nor on this site"))
    return source.specific.create_alias(
        parent=_parent(record, locale), update_locale=locale, reset_translation_key=False, user=user
    )


def _parent(record: dict, locale: Locale) -> Page:
    if record["kind"] == "course":
        return CataloguePage.objects.filter(locale=locale).order_by("path").first()
    return Page.objects.get(translation_key=record["parent"], locale=locale).specific


def _course_relations(page: CoursePage, record: dict, *, snippets, locale: Locale) -> None:
    body = record.get("accrediting_body")
    page.accrediting_body_id = snippets.get(("accrediting_body", *body)) if body else None
    page.topics.set(
        Topic.objects.filter(
            pk__in=[snippets[("topic", *pair)] for pair in record.get("topics", []) if ("topic", *pair) in snippets]
        )
    )
    prerequisites = []
    for key in record.get("prerequisites", []):
        copies = CoursePage.objects.filter(translation_key=key)
        found = copies.filter(locale=locale).first() or copies.order_by("pk").first()
        if found is not None:
            prerequisites.append(found)
    page.prerequisites.set(prerequisites)
