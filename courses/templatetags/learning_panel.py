"""The part of a course or lesson page that belongs to whichever app records learning (the learner's
progress, the enrol and "mark as complete" buttons). That app answers the ``learning_panel`` hook with
HTML; courses knows nothing of it, and without such an app the pages simply have no panel."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from wagtail import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def learning_panel(context, page) -> SafeString:
    """Each ``learning_panel(context=..., page=...)`` hook's HTML, in hook order (plain strings escaped)."""
    panels = (hook(context=context, page=page) or "" for hook in hooks.get_hooks("learning_panel"))
    return format_html_join("", "{}", ((panel,) for panel in panels))
