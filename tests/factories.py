"""Factories for the course tree and people. Pages are added under a parent, as Wagtail requires."""

import uuid
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from courses.models import AccreditingBody, CataloguePage, CoursePage, LessonPage, ModulePage, Topic
from courses.services import REVIEWERS, TRAINERS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.bd")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get(name=name) for name in extracted))


class TrainerFactory(UserFactory):
    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=TRAINERS))


class ReviewerFactory(UserFactory):
    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=REVIEWERS))


def locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


class AccreditingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccreditingBody

    name = factory.Sequence(lambda n: f"Training Centre {n}")
    short_name = factory.Sequence(lambda n: f"tc{n}")
    locale = factory.LazyFunction(lambda: locale("en"))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    locale = factory.LazyFunction(lambda: locale("en"))


class PageFactory(factory.Factory):
    """Creates a page under ``parent``; published unless ``live=False``.

    Wagtail's reference index (the admin's "usage" listing) is not kept for pages made here: nothing
    in the suite reads it, and keeping it was a quarter of the cost of making a page (a third of the
    suite's time in the process is building course trees)."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")

    @classmethod
    def _create(cls, model_class, parent: Page, live: bool = True, **kwargs):
        page = model_class(**kwargs)
        with disable_reference_index_auto_update():
            parent.add_child(instance=page)
            revision = page.save_revision()
            if live:
                revision.publish()
            else:
                page.live = False
                page.has_unpublished_changes = True
                page.save(update_fields=["live", "has_unpublished_changes"])
        page.refresh_from_db()
        return page


class CataloguePageFactory(PageFactory):
    class Meta:
        model = CataloguePage

    title = "Courses"
    slug = "courses"

    @classmethod
    def _create(cls, model_class, parent: Page | None = None, live: bool = True, **kwargs):
        parent = parent or Page.get_first_root_node()
        page = super()._create(model_class, parent=parent, live=live, **kwargs)
        if parent.depth == 1:
            Site.objects.update_or_create(
                is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": page}
            )
        return page


class CoursePageFactory(PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "A course about public services."
    audience = "civil_servants"
    language = "en"
    estimated_hours = Decimal("4.0")


class ModulePageFactory(PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")


def knowledge_check(question: str = "Which answer is right?", correct: int = 1, choices: int = 3) -> dict:
    return {
        "type": "knowledge_check",
        "id": str(uuid.uuid4()),
        "value": {
            "question": question,
            "choices": [{"text": f"Answer {i}", "correct": i == correct} for i in range(choices)],
            "explanation": "<p>Because answer 1 is right.</p>",
        },
    }


class LessonPageFactory(PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    required = True
    estimated_minutes = 10
    body = factory.LazyFunction(
        lambda: [
            {"type": "heading", "id": str(uuid.uuid4()), "value": "Why it matters"},
            {"type": "paragraph", "id": str(uuid.uuid4()), "value": "<p>Public services should be simple.</p>"},
            {"type": "callout", "id": str(uuid.uuid4()), "value": {"kind": "tip", "text": "<p>Ask users.</p>"}},
            knowledge_check(),
        ]
    )


def translate(page: Page, code: str = "bn", *, live: bool = True, **fields) -> Page:
    """The page's copy in another locale, made as Wagtail's translation tools make it (its parents'
    copies too when they are missing; block ids kept), with ``fields`` set, published unless told not."""
    copy = page.specific.copy_for_translation(locale(code), copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    revision = copy.save_revision()
    if live:
        revision.publish()
    copy.refresh_from_db()
    return copy.specific


def translate_tree(tree, code: str = "bn", *, skip: tuple[int, ...] = ()) -> dict[int, Page]:
    """The copies of a test tree's catalogue, course, module and lessons in ``code`` (``skip``: indexes
    of lessons left untranslated), by the source page's id."""
    copies = {}
    for page in [tree.catalogue, tree.course, tree.module]:
        existing = page.get_translation_or_none(locale(code))
        copies[page.pk] = existing.specific if existing else translate(page, code, title=f"{page.title} ({code})")
    for index, lesson in enumerate(tree.lessons):
        if index not in skip:
            copies[lesson.pk] = translate(lesson, code, title=f"{lesson.title} ({code})")
    return copies
