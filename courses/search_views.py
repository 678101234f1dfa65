"""The site's search page, /<language>/search/?q=...: a thin caller of ``courses.search``."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .search import MAX_QUERY_CHARACTERS, QueryProblem, search_learning_pages


def search_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results, problem = [], None
    if query:
        try:
            results = search_learning_pages(
                query=query, language=get_language(), user=request.user, session=request.session
            )
        except QueryProblem as exc:
            problem = {
                "too_long": _("Your search is too long. Use at most %(count)d characters.")
                % {"count": MAX_QUERY_CHARACTERS},
                "empty": _("Type a word to search for."),
                "no_words": _("Your search has no letters or numbers in it. Type a word to search for."),
            }[exc.code]
    kinds = {"course": _("Course"), "module": _("Module"), "lesson": _("Lesson")}
    context = {
        "query": query[:MAX_QUERY_CHARACTERS],
        "searched": bool(query) and problem is None,
        "problem": problem,
        "results": [{"result": result, "kind": kinds[result.kind]} for result in results],
        "max_length": MAX_QUERY_CHARACTERS,
    }
    return render(request, "courses/search.html", context, status=400 if problem else 200)
