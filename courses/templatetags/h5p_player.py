"""The H5P block's placeholder: everything the player needs, as data attributes, and nothing loaded yet."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.shortcuts import resolve_url
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse

from courses.activities import activity_iri, site_origin
from courses.h5p.player_css import player_css
from courses.identity import lesson_identity

register = template.Library()
PLACEHOLDER = "courses/blocks/h5p_placeholder.html"


def player_css_url() -> str:
    """The player's core style sheet without its text fonts, by a URL that changes with its content."""
    return f"{reverse('h5p:player-css')}?v={player_css()[1]}"


def _activity_iri(page, block_id: str) -> str:
    """The activity's one IRI, the source lesson's block, whichever language's copy the page is."""
    identity = lesson_identity(page)
    source_block = identity.activities.get(block_id)
    if source_block is None:  # a block only this translation has: it is named as its own
        return activity_iri(lesson_id=page.pk, block_id=block_id)
    return activity_iri(lesson_id=identity.source_id, block_id=source_block)


def _player(context, *, activity, heading: str, block_id: str, record: bool) -> dict:
    request = context.get("request")
    page = context.get("page")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    statements_url = ""
    if record and signed_in:
        try:
            statements_url = reverse("lms:statements")
        except NoReverseMatch:  # the site runs without learning records: the activity still plays
            statements_url = ""
    recording = bool(statements_url)
    previous = (context.get("activity_results") or {}).get(block_id) if record else None
    player = {
        "title": activity.title if activity else "",
        "h5pJsonPath": f"/h5p/content/{activity.uuid}" if activity else "",
        "librariesPath": "/h5p/libraries",
        "frameJs": static("h5p-standalone/frame.bundle.js"),
        "frameCss": player_css_url(),
        "customCss": static("courses/h5p-bengali.css"),
        "mainJs": static("h5p-standalone/main.bundle.js"),
        "activityIri": _activity_iri(page, block_id) if record and page and page.pk else "",
        "statementsUrl": statements_url,
        "csrfToken": get_token(request) if recording else "",
        "actor": (
            {"objectType": "Agent", "account": {"homePage": site_origin(), "name": user.get_username()}}
            if recording
            else None
        ),
    }
    saved = context.get("h5p_state") if record and recording and activity else None
    if saved:
        player.update(_saved_state(saved, block_id=block_id, content_id=str(activity.uuid)))
    return {
        "previous": previous,
        "activity": activity,
        "heading": heading or (activity.title if activity else ""),
        "block_id": block_id,
        "config_id": f"h5p-{block_id}-config",
        "signed_in": signed_in or not record,
        "login_url": f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
        if request
        else "",
        "player": player,
    }


def _saved_state(saved: dict, *, block_id: str, content_id: str) -> dict:
    """The player options that let H5P keep the learner's place: where to save, how often, and the
    state to resume from. A state kept for another package of the block is not played: the H5P core
    is told "RESET" and shows the learner that the activity changed and starts over."""
    packages = saved["states"].get(block_id) or {}
    data = packages.get(content_id)
    if data is None and packages:
        data = {"0": {"state": "RESET"}}
    return {
        "stateUrl": saved["url_for"](block_id=block_id, content_id=content_id),
        "saveFreq": saved["save_every"],
        "contentUserData": data or None,
    }


@register.inclusion_tag(PLACEHOLDER, takes_context=True)
def h5p_activity(context, value, block_id: str):
    """One H5P block of the lesson in ``context``; ``value`` is the block's StructValue."""
    return _player(context, activity=value["activity"], heading=value.get("heading"), block_id=block_id, record=True)


@register.inclusion_tag(PLACEHOLDER, takes_context=True)
def h5p_preview(context, activity):
    """The same player in the admin's preview, recording nothing."""
    return _player(context, activity=activity, heading="", block_id=f"preview-{activity.pk}", record=False)
