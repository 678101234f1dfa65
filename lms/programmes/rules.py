"""When a programme counts as complete: the whole rule, in one pure function.

- the programme needs ``minimum`` of its courses completed, at least all its required ones (no
  minimum: all of them); a minimum above the number of courses asks for all of them;
- a course completed counts for ever, even if it is unpublished later (completion is not taken back);
- a course not completed and no longer published cannot be completed: it is named in
  ``unavailable``, and when the programme can no longer reach its count without it (or it is a
  required one) the programme is ``blocked``: the learner is told which course, by name.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CourseState:
    title: str
    optional: bool
    completed: bool
    published: bool


@dataclass(frozen=True)
class ProgrammeProgress:
    completed: int
    needed: int
    total: int
    missing_required: tuple[str, ...]
    unavailable: tuple[str, ...]
    blocked: bool

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.completed >= self.needed and not self.missing_required

    @property
    def percent(self) -> int:
        return 100 if not self.needed else min(100, (100 * self.completed) // self.needed)


def programme_progress(*, courses: list[CourseState], minimum: int | None) -> ProgrammeProgress:
    total = len(courses)
    required = sum(1 for course in courses if not course.optional)
    needed = total if minimum is None else max(min(minimum, total), required)
    completed = sum(1 for course in courses if course.completed)
    missing_required = tuple(course.title for course in courses if not course.optional and not course.completed)
    unavailable = tuple(course.title for course in courses if not course.completed and not course.published)
    still_possible = completed + sum(1 for course in courses if not course.completed and course.published)
    blocked_required = any(not c.optional and not c.completed and not c.published for c in courses)
    complete = total > 0 and completed >= needed and not missing_required
    blocked = not complete and (blocked_required or still_possible < needed)
    return ProgrammeProgress(
        completed=completed,
        needed=needed,
        total=total,
        missing_required=missing_required,
        unavailable=unavailable,
        blocked=blocked,
    )
