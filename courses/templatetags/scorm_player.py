"""The SCORM block: the package's SCOs and everything the player needs, as JSON; nothing loads until started."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.shortcuts import resolve_url
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.inclusion_tag("courses/blocks/scorm_player.html", takes_context=True)
def scorm_package(context, value, block_id: str):
    """One SCORM block of the lesson in ``context``; ``value`` is the block's StructValue."""
    request = context.get("request")
    page = context.get("page")
    package = value.get("package")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    launch_url = ""
    if signed_in and page is not None and page.pk:
        try:
            launch_url = reverse("lms:scorm_launch", kwargs={"lesson_id": page.pk, "block_id": block_id})
        except NoReverseMatch:  # the site runs without learning records: the package still plays
            launch_url = ""
    previous = (context.get("activity_results") or {}).get(block_id)
    config = {
        "version": package.version if package else "",
        "runtime": static("courses/vendor/scorm-again.min.js"),
        "launchUrl": launch_url,
        "csrfToken": get_token(request) if launch_url else "",
        "scos": [
            {"identifier": sco["identifier"], "title": sco["title"], "url": f"/scorm/{package.uuid}/{sco['href']}"}
            for sco in (package.scos if package else [])
        ],
    }
    return {
        "package": package,
        "heading": value.get("heading") or (package.title if package else ""),
        "block_id": block_id,
        "config_id": f"scorm-{block_id}-config",
        "config": config,
        "previous": previous,
        "signed_in": signed_in,
        "login_url": f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
        if request
        else "",
    }
