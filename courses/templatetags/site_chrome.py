"""The site's chrome: the account links of the header, and the language switcher, which links each
page to its own translation. The account links come from the apps that have accounts (the
``site_account_links`` hook answers ``(order, label, url)`` tuples, and
``(order, label, url, "post")`` for an action such as signing out), so courses names none of them."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.models import Page, Site

from ..routing import TIMEOUT, routing_version

register = template.Library()


def translation_urls(page: Page, request) -> dict[str, str]:
    """The URL of each published copy of ``page``, by language code, as seen from the request's site.

    Kept in the cache under the routing version (``courses.routing``), which every publication, move
    or deletion replaces: every page of the site shows the switcher, and building it cost a query and
    a URL per language (about a fifth of a lesson page's time)."""
    site = Site.find_for_request(request)
    key = f"courses:translation-urls:{routing_version(request)}:{site.pk if site else 0}:{page.translation_key}"
    urls = cache.get(key)
    if urls is None:
        urls = {
            other.locale.language_code: other.get_url(request=request)
            for other in page.get_translations(inclusive=True).live().select_related("locale")
        }
        cache.set(key, urls, TIMEOUT)
    return urls


@register.inclusion_tag("courses/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Link to this page in each language: its translation where one is published, else the home page."""
    request = context["request"]
    page = context.get("page")
    current = get_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        translations = translation_urls(page, request)
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code) or translate_url(request.get_full_path(), code)
        if url == request.get_full_path() and code != current:
            url = f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}


@register.inclusion_tag("courses/includes/account_links.html", takes_context=True)
def account_links(context):
    request = context["request"]
    links = [link for hook in hooks.get_hooks("site_account_links") for link in hook(request=request) or []]
    links.sort(key=lambda link: link[0])
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "links": [{"label": link[1], "url": link[2], "post": len(link) > 3 and link[3] == "post"} for link in links],
    }
