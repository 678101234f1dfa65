"""A course is its translation group: learning records move to the source copy of each course and lesson.

Before this migration an enrolment pointed at whichever language's copy the learner enrolled in, so
one learner could hold two enrolments in the same course (English and Bengali) and a lesson done in
one language was not done in the other. From here on every record points at the *source copy* (the
page of its translation group created first, ``courses.identity``):

- every enrolment, assignment, lesson progress, activity result and score is repointed to the source
  course or lesson, and each activity to the source lesson's block (same block id, else the same
  type in the same position among the lesson's activities);
- two enrolments of one learner in copies of one course are merged into the one that got furthest
  (completed first, then the highest percent, then the earliest enrolled): it keeps the furthest
  status, percent and score, the earliest start, completion and due date, and every record of both;
  duplicate lesson rows and activity scores are combined, a clashing event id is kept with a suffix;
- the other enrolment is marked ``merged_into`` the kept one; migration 0007 deletes it once every app
  that points at enrolments has followed (certification's 0003 moves their certificates first);
- two assignments of one course to one unit (in two languages) become the earliest one.
"""

from collections import defaultdict

from django.db import migrations, models

STATUS_RANK = {"enrolled": 0, "in_progress": 1, "completed": 2}
ACTIVITY_TYPES = {"knowledge_check", "h5p"}


def _raw(body):
    if body is None:
        return []
    if hasattr(body, "raw_data"):
        return list(body.raw_data)
    if isinstance(body, str):
        import json

        return json.loads(body or "[]")
    return list(body)


def _activities(body):
    return [(b["id"], b["type"]) for b in _raw(body) if b.get("type") in ACTIVITY_TYPES and b.get("id")]


def _match(copy_blocks, source_blocks):
    source_ids = {block_id for block_id, _type in source_blocks}
    shared = {block_id for block_id, _type in copy_blocks if block_id in source_ids}
    unmatched = defaultdict(list)
    for block_id, block_type in source_blocks:
        if block_id not in shared:
            unmatched[block_type].append(block_id)
    matched = {}
    for block_id, block_type in copy_blocks:
        if block_id in source_ids:
            matched[block_id] = block_id
        elif unmatched[block_type]:
            matched[block_id] = unmatched[block_type].pop(0)
    return matched


def merge_translations(apps, schema_editor):
    _merge_translations(apps, schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys now: the indexes Django creates at the end of this
        # migration cannot be built on a table with pending trigger events.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _merge_translations(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    LessonPage = apps.get_model("courses", "LessonPage")
    Enrolment = apps.get_model("lms", "Enrolment")
    Assignment = apps.get_model("lms", "Assignment")
    LessonProgress = apps.get_model("lms", "LessonProgress")
    ActivityResult = apps.get_model("lms", "ActivityResult")
    ActivityScore = apps.get_model("lms", "ActivityScore")
    H5PState = apps.get_model("lms", "H5PState")
    Notice = apps.get_model("lms", "Notice")

    key_of, language_of, first_of_key = {}, {}, {}
    for pk, key, language in Page.objects.values_list("pk", "translation_key", "locale__language_code"):
        key_of[pk], language_of[pk] = key, language
        first_of_key[key] = min(pk, first_of_key.get(key, pk))

    def source(pk):
        return first_of_key[key_of[pk]] if pk in key_of else pk

    bodies = dict(LessonPage.objects.values_list("pk", "body"))
    block_maps = {}

    def source_block(lesson_id, block_id):
        target = source(lesson_id)
        if target == lesson_id:
            return block_id
        if lesson_id not in block_maps:
            block_maps[lesson_id] = _match(_activities(bodies.get(lesson_id)), _activities(bodies.get(target)))
        return block_maps[lesson_id].get(block_id, block_id)

    # assignments: one per (unit, course)
    kept_assignment = {}
    for assignment in Assignment.objects.order_by("created_at", "pk"):
        key = (assignment.organisation_id, source(assignment.course_id))
        if key in kept_assignment:
            Enrolment.objects.filter(assignment_id=assignment.pk).update(assignment_id=kept_assignment[key])
            assignment.delete()
        else:
            kept_assignment[key] = assignment.pk
            if assignment.course_id != key[1]:
                Assignment.objects.filter(pk=assignment.pk).update(course_id=key[1])

    groups = defaultdict(list)
    for enrolment in Enrolment.objects.order_by("pk"):
        groups[(enrolment.user_id, source(enrolment.course_id))].append(enrolment)

    for (_user_id, course_id), enrolments in groups.items():
        if len(enrolments) == 1 and enrolments[0].course_id == course_id and not enrolments[0].last_lesson_id:
            (only,) = enrolments
            if not only.language:
                Enrolment.objects.filter(pk=only.pk).update(language=language_of.get(only.course_id, ""))
            continue
        enrolments.sort(key=lambda e: (-STATUS_RANK.get(e.status, 0), -e.progress_percent, e.enrolled_at, e.pk))
        kept, others = enrolments[0], enrolments[1:]
        everyone = [kept, *others]
        completed = [e.completed_at for e in everyone if e.completed_at]
        started = [e.started_at for e in everyone if e.started_at]
        due = [e.due_on for e in everyone if e.due_on]
        scores = [e.score_scaled for e in everyone if e.score_scaled is not None]
        last = kept.last_lesson_id or next((e.last_lesson_id for e in others if e.last_lesson_id), None)
        Enrolment.objects.filter(pk=kept.pk).update(
            course_id=course_id,
            status=max((e.status for e in everyone), key=lambda s: STATUS_RANK.get(s, 0)),
            progress_percent=max(e.progress_percent for e in everyone),
            score_scaled=max(scores) if scores else None,
            started_at=min(started) if started else None,
            completed_at=min(completed) if completed else None,
            enrolled_at=min(e.enrolled_at for e in everyone),
            due_on=min(due) if due else None,
            assignment_id=kept.assignment_id or next((e.assignment_id for e in others if e.assignment_id), None),
            last_lesson_id=source(last) if last else None,
            language=kept.language or language_of.get(kept.course_id, ""),
        )
        ids = [e.pk for e in everyone]

        # lesson progress: one row per source lesson, the earliest visit and completion, the latest visit
        rows = defaultdict(list)
        for row in LessonProgress.objects.filter(enrolment_id__in=ids).order_by("pk"):
            rows[source(row.lesson_id)].append(row)
        for lesson_id, lesson_rows in rows.items():
            first, rest = lesson_rows[0], lesson_rows[1:]
            done = [r.completed_at for r in lesson_rows if r.completed_at]
            LessonProgress.objects.filter(pk__in=[r.pk for r in rest]).delete()
            LessonProgress.objects.filter(pk=first.pk).update(
                enrolment_id=kept.pk,
                lesson_id=lesson_id,
                first_visited_at=min(r.first_visited_at for r in lesson_rows),
                last_visited_at=max(r.last_visited_at for r in lesson_rows),
                completed_at=min(done) if done else None,
            )

        # results: every attempt kept, on the source lesson's block
        taken = set(ActivityResult.objects.filter(enrolment_id=kept.pk).values_list("event_id", flat=True))
        for result in ActivityResult.objects.filter(enrolment_id__in=ids).order_by("pk"):
            changes = {
                "lesson_id": source(result.lesson_id),
                "block_id": source_block(result.lesson_id, result.block_id),
            }
            if result.enrolment_id != kept.pk:
                event_id = result.event_id
                if event_id in taken:
                    event_id = f"{event_id[:80]}-merged-{result.pk}"
                taken.add(event_id)
                changes.update(enrolment_id=kept.pk, event_id=event_id)
            ActivityResult.objects.filter(pk=result.pk).update(**changes)

        # scores: one per source block, the best of them, every attempt counted
        scores_by_block = defaultdict(list)
        for score in ActivityScore.objects.filter(enrolment_id__in=ids).order_by("pk"):
            scores_by_block[source_block(score.lesson_id, score.block_id)].append(score)
        for block_id, block_scores in scores_by_block.items():
            scored = [s for s in block_scores if s.score_scaled is not None]
            best = max(scored, key=lambda s: s.score_scaled) if scored else block_scores[0]
            keep = block_scores[0]
            ActivityScore.objects.filter(pk__in=[s.pk for s in block_scores[1:]]).delete()
            ActivityScore.objects.filter(pk=keep.pk).update(
                enrolment_id=kept.pk,
                lesson_id=source(keep.lesson_id),
                block_id=block_id,
                score_scaled=best.score_scaled,
                success=best.success,
                attempts=sum(s.attempts for s in block_scores),
            )

        # saved H5P states belong to the package of the copy they were played in: they only move
        H5PState.objects.filter(enrolment_id__in=[e.pk for e in others]).update(enrolment_id=kept.pk)
        kinds = set(Notice.objects.filter(enrolment_id=kept.pk).values_list("kind", flat=True))
        for notice in Notice.objects.filter(enrolment_id__in=[e.pk for e in others]).order_by("pk"):
            if notice.kind in kinds:
                notice.delete()
            else:
                kinds.add(notice.kind)
                Notice.objects.filter(pk=notice.pk).update(enrolment_id=kept.pk)
        Enrolment.objects.filter(pk__in=[e.pk for e in others]).update(merged_into_id=kept.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0005_h5p_saved_state"),
        ("courses", "0002_h5p"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="language",
            field=models.CharField(
                blank=True,
                help_text="The language the learner last opened a lesson of this course in; their certificate's language.",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="merged_into",
            field=models.ForeignKey(
                null=True, blank=True, on_delete=models.deletion.SET_NULL, related_name="+", to="lms.enrolment"
            ),
        ),
        migrations.RemoveConstraint(model_name="enrolment", name="one_enrolment_per_course"),
        migrations.RemoveConstraint(model_name="assignment", name="one_assignment_per_unit"),
        migrations.RunPython(merge_translations, migrations.RunPython.noop, elidable=False),
    ]
