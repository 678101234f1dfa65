"""The offline lessons' part of every page: the manifest, the learner key, the loader and its messages
(``{% offline_head %}`` and ``{% offline_status %}``), and the "Save for offline" box of a module or
course page (``{% offline_save page %}``). Nothing runs when ``COURSES_OFFLINE_LESSONS`` is off."""

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from courses.conf import courses_settings
from courses.offline.learners import learner_key

register = template.Library()


def _enabled() -> bool:
    return bool(courses_settings.COURSES_OFFLINE_LESSONS)


@register.inclusion_tag("courses/includes/offline_head.html", takes_context=True)
def offline_head(context):
    request = context.get("request")
    language = get_language() or "en"
    return {
        "enabled": _enabled(),
        "manifest_url": reverse("offline:manifest", args=[language]),
        "learner": learner_key(getattr(request, "user", None)),
    }


@register.inclusion_tag("courses/includes/offline_status.html", takes_context=True)
def offline_status(context):
    return {
        "enabled": _enabled(),
        "service_worker_url": reverse("service_worker"),
        "session_url": reverse("offline:session"),
        "sign_in_url": _sign_in_url(),
        "language": get_language() or "en",
    }


@register.inclusion_tag("courses/includes/offline_save.html", takes_context=True)
def offline_save(context, page):
    return {"enabled": _enabled(), "page": page, "files_url": reverse("offline:files", args=[page.pk])}


def _sign_in_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)
