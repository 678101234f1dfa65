"""The recording function also stores the learner's response (xAPI ``result.response``; the choice of a
knowledge check, so a revisited check shows the last answer). Its text is
``lms/progress/record_activity_result.sql`` as of this migration; a later change to that file comes
with a migration of its own (``tests/lms/test_recording_sql.py``)."""

from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION lms_record_activity_result(
    p_user_id bigint,
    p_course_id bigint,
    p_lesson_id bigint,
    p_block_id text,
    p_activity_iri text,
    p_event_id text,
    p_score_raw numeric,
    p_score_max numeric,
    p_score_scaled numeric,
    p_success boolean,
    p_completion boolean,
    p_duration interval,
    p_response text,
    p_lesson_activities text[],
    p_required_lessons bigint[],
    p_course_activities text[],
    p_passing_score integer,
    p_keep_best boolean
) RETURNS TABLE (
    out_outcome text,
    out_completed_course boolean,
    out_enrolment_id bigint,
    out_id bigint,
    out_recorded_at timestamptz
) LANGUAGE plpgsql AS $$
DECLARE
    e lms_enrolment%ROWTYPE;
    counted numeric := CASE WHEN p_score_scaled IS NULL THEN NULL ELSE greatest(p_score_scaled, 0) END;
    lesson_done_at timestamptz;
    has_progress boolean := false;
    answered integer;
    lessons_done integer;
    score_total numeric;
    required_count integer := coalesce(cardinality(p_required_lessons), 0);
    activity_count integer := coalesce(cardinality(p_course_activities), 0);
    new_percent integer;
    new_score numeric;
    new_status text;
    new_completed_at timestamptz;
    completes boolean;
BEGIN
    out_completed_course := false;
    SELECT * INTO e FROM lms_enrolment WHERE user_id = p_user_id AND course_id = p_course_id FOR UPDATE;
    IF NOT FOUND THEN
        out_outcome := 'not_enrolled';
        RETURN NEXT;
        RETURN;
    END IF;
    out_enrolment_id := e.id;

    INSERT INTO lms_activityresult AS r (
        enrolment_id, lesson_id, block_id, activity_iri, event_id, score_raw, score_max, score_scaled,
        success, completion, duration, response, recorded_at
    ) VALUES (
        e.id, p_lesson_id, p_block_id, p_activity_iri, p_event_id, p_score_raw, p_score_max, p_score_scaled,
        p_success, p_completion, p_duration, coalesce(p_response, ''), now()
    )
    ON CONFLICT (enrolment_id, event_id) DO NOTHING
    RETURNING r.id, r.recorded_at INTO out_id, out_recorded_at;
    IF NOT FOUND THEN
        SELECT r.id, r.recorded_at INTO out_id, out_recorded_at
        FROM lms_activityresult r WHERE r.enrolment_id = e.id AND r.event_id = p_event_id;
        out_outcome := 'duplicate';
        RETURN NEXT;
        RETURN;
    END IF;
    out_outcome := 'recorded';

    INSERT INTO lms_activityscore AS s (enrolment_id, lesson_id, block_id, score_scaled, success, attempts, updated_at)
    VALUES (e.id, p_lesson_id, p_block_id, counted, p_success, 1, now())
    ON CONFLICT (enrolment_id, block_id) DO UPDATE SET
        score_scaled = CASE
            WHEN counted IS NOT NULL AND (NOT p_keep_best OR s.score_scaled IS NULL OR counted > s.score_scaled)
            THEN counted ELSE s.score_scaled END,
        success = CASE
            WHEN counted IS NOT NULL AND (NOT p_keep_best OR s.score_scaled IS NULL OR counted > s.score_scaled)
            THEN p_success ELSE s.success END,
        attempts = s.attempts + 1,
        updated_at = now();

    SELECT true, lp.completed_at INTO has_progress, lesson_done_at
    FROM lms_lessonprogress lp WHERE lp.enrolment_id = e.id AND lp.lesson_id = p_lesson_id;
    IF NOT FOUND THEN
        has_progress := false;
    END IF;
    IF NOT has_progress OR lesson_done_at IS NULL THEN
        SELECT count(*) INTO answered FROM lms_activityscore s
        WHERE s.enrolment_id = e.id AND s.block_id = ANY(p_lesson_activities);
        lesson_done_at := CASE WHEN answered >= coalesce(cardinality(p_lesson_activities), 0) THEN now() END;
        IF NOT has_progress THEN
            INSERT INTO lms_lessonprogress (enrolment_id, lesson_id, first_visited_at, last_visited_at, completed_at)
            VALUES (e.id, p_lesson_id, now(), now(), lesson_done_at);
        ELSIF lesson_done_at IS NOT NULL THEN
            UPDATE lms_lessonprogress SET completed_at = lesson_done_at, last_visited_at = now()
            WHERE enrolment_id = e.id AND lesson_id = p_lesson_id;
        END IF;
    END IF;

    SELECT count(*) INTO lessons_done FROM lms_lessonprogress lp
    WHERE lp.enrolment_id = e.id AND lp.lesson_id = ANY(p_required_lessons) AND lp.completed_at IS NOT NULL;
    SELECT sum(s.score_scaled) INTO score_total FROM lms_activityscore s
    WHERE s.enrolment_id = e.id AND s.block_id = ANY(p_course_activities);
    new_percent := CASE WHEN required_count = 0 THEN 100 ELSE (100 * lessons_done) / required_count END;
    new_score := CASE WHEN activity_count > 0 AND score_total IS NOT NULL
        THEN round(score_total / activity_count, 4) END;
    completes := new_percent = 100
        AND (p_passing_score IS NULL OR (new_score IS NOT NULL AND new_score * 100 >= p_passing_score))
        AND e.completed_at IS NULL;
    new_status := e.status;
    new_completed_at := e.completed_at;
    IF completes THEN
        new_status := 'completed';
        new_completed_at := now();
    ELSIF e.status = 'enrolled' THEN
        new_status := 'in_progress';
    END IF;
    IF e.started_at IS NULL
        OR (e.progress_percent, e.score_scaled, e.status, e.last_lesson_id)
            IS DISTINCT FROM (new_percent, new_score, new_status, p_lesson_id) THEN
        UPDATE lms_enrolment SET
            progress_percent = new_percent,
            score_scaled = new_score,
            started_at = coalesce(started_at, now()),
            status = new_status,
            completed_at = new_completed_at,
            last_lesson_id = p_lesson_id
        WHERE id = e.id;
    END IF;
    out_completed_course := completes;
    RETURN NEXT;
END;
$$;
"""

OLD_SIGNATURE = (
    "lms_record_activity_result(bigint, bigint, bigint, text, text, text, numeric, numeric, numeric, boolean, "
    "boolean, interval, text[], bigint[], text[], integer, boolean)"
)
NEW_SIGNATURE = OLD_SIGNATURE.replace("interval, text[]", "interval, text, text[]")


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {OLD_SIGNATURE}", params=None)
        schema_editor.execute(FUNCTION, params=None)  # no placeholders: %ROWTYPE is PL/pgSQL


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {NEW_SIGNATURE}", params=None)
        from importlib import import_module

        previous = import_module("lms.migrations.0002_record_activity_result_function")
        schema_editor.execute(previous.FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("lms", "0007_drop_merged_enrolments")]

    operations = [
        migrations.AddField(
            model_name="activityresult",
            name="response",
            field=models.CharField(
                blank=True, max_length=500, help_text="What the learner answered (xAPI result.response)."
            ),
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
