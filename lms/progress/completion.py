"""When a course counts as complete: the arithmetic of the completion rule, in one pure function.

Everything else about progress is bookkeeping around these lines. The ORM path (SQLite) calls
``course_progress``; the PostgreSQL path runs the same arithmetic inside its database function
(``record_activity_result.sql``) to record a result in one round trip, and
``tests/lms/test_recording_equivalence.py`` holds the two equal on every event it replays.

The rule:
- an activity's counting score is the best (or latest, by the course's policy) scaled score of its
  attempts, a negative score counting as 0 (``replaces_counting_score``);
- a lesson with activities is done once each of its activities has been attempted (``lesson_done``);
  a lesson without activities is done when the learner marks it so;
- the course's percent is the share of required lessons done, rounded down (100 with none required);
- the course's score is the mean of its activities' counting scores, an unattempted one counting 0,
  to four places, half up (none when the course has no activity or none was attempted);
- the course is complete when every required lesson is done and, if the course has a passing score,
  the score reaches it. Completion is for ever: a later change does not take it back (only a
  recertification reopens a course, as a new cycle: ``lms.enrolment.reopening``).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class CourseProgress:
    percent: int
    score: Decimal | None
    passed: bool

    @property
    def complete(self) -> bool:
        return self.percent == 100 and self.passed


def counted(scaled: Decimal | None) -> Decimal | None:
    """The part of a scaled score that counts: a negative score counts as 0."""
    return None if scaled is None else max(scaled, Decimal(0))


def replaces_counting_score(*, previous: Decimal | None, attempt: Decimal | None, keep_best: bool) -> bool:
    """Whether an attempt's score becomes the activity's counting score (with its success): any scored
    attempt under the latest-attempt policy, a better one under the best-attempt policy."""
    if attempt is None:
        return False
    return not keep_best or previous is None or counted(attempt) > previous


def lesson_done(*, attempted: int, activities: int) -> bool:
    """A lesson with activities is done once each of them has been attempted."""
    return attempted >= activities


def course_progress(
    *,
    lessons_done: int,
    required_lessons: int,
    score_total: Decimal | None,
    activities: int,
    passing_score: int | None,
) -> CourseProgress:
    """Percent, score and pass from the counts: the whole arithmetic of completion."""
    percent = 100 if not required_lessons else (100 * lessons_done) // required_lessons
    score = None
    if activities and score_total is not None:
        score = (Decimal(score_total) / activities).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    passed = passing_score is None or (score is not None and score * 100 >= passing_score)
    return CourseProgress(percent=percent, score=score, passed=passed)
