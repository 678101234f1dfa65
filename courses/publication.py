"""What "published" means to a learner: one rule for pages, pickers, enrolment, the API and reports.

A page is published for a learner when it is live and no view restriction on it or its ancestors
keeps this learner out: a sign-in restriction lets any signed-in learner in, a group restriction the
members of its groups (and superusers), a password restriction whoever entered the password in this
session. Wagtail's ``public()`` hides every restricted page from everyone, so a course restricted to
signed-in civil servants was enrollable by CSV and yet missing from the API; this one rule replaces
both meanings.

Paths that work in bulk (a CSV of a thousand rows) load the restrictions once with
``view_restrictions`` and ask ``hidden_paths``/``is_hidden`` per learner, in Python.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Q, QuerySet
from wagtail.models import PageViewRestriction

PASSED_RESTRICTIONS_SESSION_KEY = "passed_page_view_restrictions"  # where Wagtail keeps them


@dataclass(frozen=True)
class Restriction:
    pk: int
    path: str
    kind: str
    group_ids: frozenset[int]
    page_id: int = 0
    password: str = ""

    def as_model(self) -> PageViewRestriction:
        """The restriction as Wagtail's serve view checks it (an unsaved copy; no query to build)."""
        return PageViewRestriction(pk=self.pk, page_id=self.page_id, restriction_type=self.kind, password=self.password)


class AnySignedInLearner(AnonymousUser):
    """Who an enrolled learner is to the rule when no particular learner is asked about."""

    is_authenticated = True


CACHE_KEY = "courses:view-restrictions:v2"  # bump when Restriction changes shape
CACHE_SECONDS = 60 * 60


def view_restrictions() -> list[Restriction]:
    """Every page view restriction of the site, from the cache (kept until a restriction or a page
    changes; ``forget_view_restrictions``), else from the database in one or two queries."""
    restrictions = cache.get(CACHE_KEY)
    if restrictions is None:
        restrictions = _load_view_restrictions()
        cache.set(CACHE_KEY, restrictions, CACHE_SECONDS)
    return restrictions


def forget_view_restrictions(**kwargs) -> None:
    """Connected to changes of restrictions, their groups, and moved or deleted pages."""
    cache.delete(CACHE_KEY)


def _load_view_restrictions() -> list[Restriction]:
    restrictions = list(
        PageViewRestriction.objects.exclude(restriction_type=PageViewRestriction.NONE)
        .select_related("page")
        .order_by("pk")
    )
    groups: dict[int, set[int]] = {}
    if any(restriction.restriction_type == PageViewRestriction.GROUPS for restriction in restrictions):
        through = PageViewRestriction.groups.through.objects.filter(
            pageviewrestriction_id__in=[restriction.pk for restriction in restrictions]
        )
        for restriction_id, group_id in through.values_list("pageviewrestriction_id", "group_id"):
            groups.setdefault(restriction_id, set()).add(group_id)
    return [
        Restriction(
            pk=restriction.pk,
            path=restriction.page.path,
            kind=restriction.restriction_type,
            group_ids=frozenset(groups.get(restriction.pk, ())),
            page_id=restriction.page_id,
            password=restriction.password,
        )
        for restriction in restrictions
    ]


def keeps_out(restriction: Restriction, *, user, group_ids: Iterable[int] = (), passed: Iterable[int] = ()) -> bool:
    """Whether one restriction keeps this learner (with these groups, these passed passwords) out."""
    signed_in = bool(user and user.is_authenticated)
    if restriction.kind == PageViewRestriction.LOGIN:
        return not signed_in
    if restriction.kind == PageViewRestriction.GROUPS:
        if not signed_in:
            return True
        return not (getattr(user, "is_superuser", False) or restriction.group_ids & set(group_ids))
    return restriction.pk not in set(passed)  # a password restriction


def hidden_paths(
    restrictions: list[Restriction], *, user, group_ids: Iterable[int] | None = None, passed: Iterable[int] = ()
) -> list[str]:
    """The tree paths under which pages are hidden from this learner."""
    if group_ids is None:
        group_ids = (
            set(user.groups.values_list("pk", flat=True))
            if getattr(user, "pk", None) and any(r.kind == PageViewRestriction.GROUPS for r in restrictions)
            else set()
        )
    passed = set(passed)
    return [r.path for r in restrictions if keeps_out(r, user=user, group_ids=group_ids, passed=passed)]


def is_hidden(path: str, paths: list[str]) -> bool:
    return any(path.startswith(hidden) for hidden in paths)


def _passed(session) -> list[int]:
    return list((session or {}).get(PASSED_RESTRICTIONS_SESSION_KEY, []))


def published_for_learners(queryset: QuerySet, *, user=None, session=None) -> QuerySet:
    """``queryset``'s pages that are live and that no view restriction keeps ``user`` out of.
    ``user=None`` asks for any signed-in learner (what an enrolled learner always is)."""
    user = AnySignedInLearner() if user is None else user
    paths = hidden_paths(view_restrictions(), user=user, passed=_passed(session))
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return queryset.live().exclude(condition)


def is_published_for(page, *, user=None, session=None) -> bool:
    """Whether one page is published for ``user``: live, and no restriction keeps them out."""
    if not page.live:
        return False
    user = AnySignedInLearner() if user is None else user
    return not is_hidden(page.path, hidden_paths(view_restrictions(), user=user, passed=_passed(session)))


class CachedViewRestrictionsMixin:
    """Wagtail checks a page's view restrictions (its own and its ancestors') with two queries on every
    view; a learning page being served (routed by ``courses.routing``, which marks it) reads them from
    the cached list instead. Everywhere else (the admin's privacy settings, copies, aliases) and for an
    alias page, whose restrictions are its source's, Wagtail's own queryset answers."""

    def get_view_restrictions(self):
        if getattr(self, "alias_of_id", None) or not getattr(self, "_serving_routed", False):
            return super().get_view_restrictions()
        return [r.as_model() for r in view_restrictions() if self.path.startswith(r.path)]
