"""The learner's list of notices: assignments, due dates, certificates."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from ..accounts.views import sign_in_first
from ..enrolment.selectors import attach_certificates, in_reader_language
from .selectors import learner_notices
from .services import mark_notices_read


def notices_view(request: HttpRequest) -> HttpResponse:
    """Every notice the learner was sent, newest first; opening the list marks them read."""
    if not request.user.is_authenticated:
        return sign_in_first(request)
    notices = list(learner_notices(user=request.user))
    enrolments = {notice.enrolment_id: notice.enrolment for notice in notices}
    attach_certificates(in_reader_language(enrolments.values(), get_language()), request=request)
    for notice in notices:
        notice.enrolment = enrolments[notice.enrolment_id]
    unread = {notice.pk for notice in notices if notice.read_at is None}
    mark_notices_read(user=request.user)
    return render(request, "lms/notices.html", {"notices": notices, "unread": unread})
