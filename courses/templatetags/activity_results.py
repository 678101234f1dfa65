"""The visitor's result on one activity of a lesson, for its block's template."""

from django import template

register = template.Library()


@register.filter
def result_for(results: dict | None, block_id: str) -> dict | None:
    """``activity_results|result_for:block_id``: what the ``lesson_activity_results`` hooks said of it."""
    return (results or {}).get(block_id)
