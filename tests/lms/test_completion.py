"""The arithmetic of completion, as one pure function (``lms.progress.completion``)."""

from decimal import Decimal

import pytest

from lms.progress.completion import counted, course_progress, lesson_done, replaces_counting_score


@pytest.mark.parametrize(
    ("done", "required", "percent"), [(0, 3, 0), (1, 3, 33), (2, 3, 66), (3, 3, 100), (0, 0, 100), (5, 7, 71)]
)
def test_percent_is_the_share_of_required_lessons_rounded_down(done, required, percent):
    progress = course_progress(
        lessons_done=done, required_lessons=required, score_total=None, activities=0, passing_score=None
    )
    assert progress.percent == percent


def test_score_is_the_mean_over_every_activity_half_up_to_four_places():
    progress = course_progress(
        lessons_done=3, required_lessons=3, score_total=Decimal("2.00005"), activities=3, passing_score=None
    )
    assert progress.score == Decimal("0.6667")
    none = course_progress(lessons_done=3, required_lessons=3, score_total=None, activities=3, passing_score=None)
    assert none.score is None and none.complete
    no_activities = course_progress(
        lessons_done=1, required_lessons=1, score_total=Decimal(1), activities=0, passing_score=None
    )
    assert no_activities.score is None


@pytest.mark.parametrize(
    ("total", "passing", "complete"),
    [(Decimal("2.4"), 80, True), (Decimal("2.39"), 80, False), (None, 50, False), (Decimal(0), 0, True)],
)
def test_a_passing_score_must_be_reached(total, passing, complete):
    progress = course_progress(
        lessons_done=3, required_lessons=3, score_total=total, activities=3, passing_score=passing
    )
    assert progress.complete is complete


def test_an_unfinished_course_is_not_complete_whatever_the_score():
    progress = course_progress(
        lessons_done=2, required_lessons=3, score_total=Decimal(3), activities=3, passing_score=10
    )
    assert not progress.complete and progress.passed


def test_counting_scores_best_or_latest():
    assert counted(Decimal("-0.5")) == 0 and counted(None) is None
    assert replaces_counting_score(previous=None, attempt=Decimal("0.2"), keep_best=True)
    assert not replaces_counting_score(previous=Decimal("0.5"), attempt=Decimal("0.2"), keep_best=True)
    assert not replaces_counting_score(previous=Decimal("0.5"), attempt=Decimal("0.5"), keep_best=True)
    assert replaces_counting_score(previous=Decimal("0.5"), attempt=Decimal("0.2"), keep_best=False)
    assert not replaces_counting_score(previous=Decimal("0.5"), attempt=None, keep_best=False)
    assert not replaces_counting_score(previous=Decimal("0"), attempt=Decimal("-1"), keep_best=True)


def test_a_lesson_is_done_when_each_activity_was_attempted():
    assert lesson_done(attempted=2, activities=2) and lesson_done(attempted=0, activities=0)
    assert not lesson_done(attempted=1, activities=2)
