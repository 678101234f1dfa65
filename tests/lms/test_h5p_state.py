"""An enrolled learner's place in an H5P activity ("content user data"): kept per lesson block, package,
data type and sub-content; bounded and validated; never anyone else's; preloaded into the lesson page
at a fixed number of queries; exported and erased with the learner's other data."""

import io
import json
import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses.h5p.packaging import knowledge_check_package
from courses.h5p.services import import_package
from lms.errors import NotEnrolled, UnknownActivity
from lms.h5p_state.selectors import h5p_state_data, lesson_h5p_states
from lms.h5p_state.services import H5P_STATE_MAX_BYTES, H5PContentChanged, H5PStateKey, InvalidH5PState, save_h5p_state
from lms.models import Enrolment, H5PState
from lms.services import erase_learner, learner_data
from tests.factories import LessonPageFactory, UserFactory
from tests.h5p_packages import media_folder  # noqa: F401  (the media fixture)

pytestmark = pytest.mark.django_db
STATE = json.dumps({"progress": 2, "answers": [{"choice": 1}, None]})


def package(title: str):
    built = knowledge_check_package(title=title, question="q?", choices=[{"text": "a", "correct": True}, {"text": "b"}])
    return import_package(io.BytesIO(built), name=f"{title}.h5p")


def h5p_block(activity) -> dict:
    return {"type": "h5p", "id": str(uuid.uuid4()), "value": {"activity": activity.pk, "heading": ""}}


@pytest.fixture
def activity(media):
    return package("Saved state")


@pytest.fixture
def lesson(tree, activity):
    return LessonPageFactory(parent=tree.module, body=[h5p_block(activity)])


def key_of(lesson, *, data_type="state", sub_content_id="0", content_id=None) -> H5PStateKey:
    block = lesson.body[0]
    return H5PStateKey(
        lesson_id=lesson.pk,
        block_id=block.id,
        content_id=str(content_id or block.value["activity"].uuid),
        data_type=data_type,
        sub_content_id=sub_content_id,
    )


def url_of(key: H5PStateKey) -> str:
    return f"/learning/h5p-state/{key.lesson_id}/{key.block_id}/{key.content_id}/{key.data_type}/{key.sub_content_id}/"


@pytest.fixture
def signed_in(learner, enrolment):
    client = Client()
    client.force_login(learner)
    return client


# --- service -----------------------------------------------------------------------------------


def test_an_enrolled_learner_keeps_a_state_per_data_type_and_sub_content(learner, enrolment, lesson):
    key = key_of(lesson)
    save_h5p_state(user=learner, key=key, data=STATE)
    sub = key_of(lesson, sub_content_id="a1b2c3d4-0000-4000-8000-000000000001")
    save_h5p_state(user=learner, key=sub, data='"typed text"', preload=False)
    assert h5p_state_data(user=learner, key=key) == STATE
    assert h5p_state_data(user=learner, key=sub) == '"typed text"'
    save_h5p_state(user=learner, key=key, data='{"progress": 3}')  # overwritten, not added
    assert H5PState.objects.filter(enrolment=enrolment).count() == 2
    assert h5p_state_data(user=learner, key=key) == '{"progress": 3}'
    assert h5p_state_data(user=learner, key=key_of(lesson, data_type="other")) is None


def test_a_learner_not_enrolled_keeps_nothing(tree, lesson):
    outsider = UserFactory(username="outsider")
    with pytest.raises(NotEnrolled) as refused:
        save_h5p_state(user=outsider, key=key_of(lesson), data=STATE)
    assert refused.value.code == "not_enrolled" and refused.value.status == 403
    assert lesson_h5p_states(user=outsider, lesson=lesson) is None
    assert not H5PState.objects.exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("not json", "invalid_state"),
        ("{'single': 'quotes'}", "invalid_state"),
        ("", "invalid_state"),
        ("[" * 100_000, "state_too_large"),
        ("[" * 60_000, "invalid_state"),  # under the bound, nested too deep to read
        (json.dumps({"text": "x" * H5P_STATE_MAX_BYTES}), "state_too_large"),
        (json.dumps({"text": "ক" * (H5P_STATE_MAX_BYTES // 3)}), "state_too_large"),  # bytes, not characters
        (None, "invalid_state"),
        ({"not": "a text"}, "invalid_state"),
    ],
)
def test_bad_or_too_large_states_are_refused_and_nothing_is_stored(learner, enrolment, lesson, data, code):
    save_h5p_state(user=learner, key=key_of(lesson), data=STATE)
    with pytest.raises(InvalidH5PState) as refused:
        save_h5p_state(user=learner, key=key_of(lesson), data=data)
    assert refused.value.code == code and refused.value.field == "data"
    assert h5p_state_data(user=learner, key=key_of(lesson)) == STATE


def test_the_largest_allowed_state_is_kept(learner, enrolment, lesson):
    data = json.dumps("x" * (H5P_STATE_MAX_BYTES - 2))
    assert len(data.encode()) == H5P_STATE_MAX_BYTES
    save_h5p_state(user=learner, key=key_of(lesson), data=data)
    assert h5p_state_data(user=learner, key=key_of(lesson)) == data


def test_h5p_deletes_a_state_by_posting_zero(learner, enrolment, lesson):
    save_h5p_state(user=learner, key=key_of(lesson), data=STATE)
    other = key_of(lesson, data_type="other")
    save_h5p_state(user=learner, key=other, data="1")
    assert save_h5p_state(user=learner, key=key_of(lesson), data="0") is None
    assert h5p_state_data(user=learner, key=key_of(lesson)) is None
    assert h5p_state_data(user=learner, key=other) == "1"


def test_unknown_blocks_packages_and_keys_are_refused(learner, enrolment, tree, lesson):
    block_id = lesson.body[0].id
    knowledge_check = next(block for block in tree.lessons[0].body if block.block_type == "knowledge_check")
    wrong = [
        (H5PStateKey(lesson_id=999_999, block_id=block_id, content_id=key_of(lesson).content_id), UnknownActivity),
        (H5PStateKey(lesson_id=lesson.pk, block_id="nope", content_id=key_of(lesson).content_id), UnknownActivity),
        (H5PStateKey(lesson_id=lesson.pk, block_id=block_id, content_id="not-a-uuid"), UnknownActivity),
        (
            H5PStateKey(lesson_id=tree.lessons[0].pk, block_id=knowledge_check.id, content_id=str(uuid.uuid4())),
            UnknownActivity,
        ),
        (key_of(lesson, content_id=uuid.uuid4()), H5PContentChanged),
        (key_of(lesson, data_type="a/b"), InvalidH5PState),
        (key_of(lesson, sub_content_id=""), InvalidH5PState),
    ]
    for key, error in wrong:
        with pytest.raises(error):
            save_h5p_state(user=learner, key=key, data=STATE)
    assert not H5PState.objects.exists()


def test_a_draft_lesson_keeps_nothing(learner, enrolment, lesson):
    lesson.unpublish()
    with pytest.raises(UnknownActivity):
        save_h5p_state(user=learner, key=key_of(lesson), data=STATE)


def test_a_new_package_in_the_block_does_not_get_the_old_state(learner, enrolment, lesson, media):
    old = key_of(lesson)
    save_h5p_state(user=learner, key=old, data=STATE)
    replacement = package("Saved state, re-uploaded")
    lesson.body[0].value["activity"] = replacement
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    new = key_of(lesson)
    assert new.content_id != old.content_id
    # the old page posting late is refused; the new package starts with nothing
    with pytest.raises(H5PContentChanged):
        save_h5p_state(user=learner, key=old, data=STATE)
    assert h5p_state_data(user=learner, key=new) is None
    states = lesson_h5p_states(user=learner, lesson=lesson)
    assert states == {new.block_id: {old.content_id: {"0": {"state": STATE}}}}  # the page tells H5P to reset
    save_h5p_state(user=learner, key=new, data='{"progress": 0}')
    assert list(H5PState.objects.values_list("content_id", flat=True)) == [replacement.uuid]


def test_the_privacy_export_has_the_states_and_erasure_deletes_them(learner, enrolment, lesson):
    save_h5p_state(user=learner, key=key_of(lesson), data=STATE)
    exported = learner_data(user=learner)["h5p_saved_states"]
    assert [
        (row["block_id"], row["content_id"], row["data_type"], row["sub_content_id"], row["data"]) for row in exported
    ] == [(lesson.body[0].id, key_of(lesson).content_id, "state", "0", STATE)]
    other = UserFactory(username="other")
    Enrolment.objects.create(user=other, course=enrolment.course)
    save_h5p_state(user=other, key=key_of(lesson), data='{"theirs": true}')
    erase_learner(user=learner)
    assert not H5PState.objects.filter(enrolment__user=learner).exists()
    assert H5PState.objects.filter(enrolment__user=other).count() == 1
    assert Enrolment.objects.filter(user=learner).exists()  # kept, anonymous, as before


# --- HTTP --------------------------------------------------------------------------------------


def test_the_h5p_core_protocol_round_trip(signed_in, lesson):
    url = url_of(key_of(lesson))
    assert signed_in.get(url).json() == {"success": True, "data": False}
    response = signed_in.post(url, {"data": STATE, "preload": "1", "invalidate": "1"})
    assert response.status_code == 200 and response.json() == {"success": True}
    assert signed_in.get(url).json() == {"success": True, "data": STATE}
    assert signed_in.post(url, {"data": "0", "preload": "0", "invalidate": "0"}).json() == {"success": True}
    assert signed_in.get(url).json() == {"success": True, "data": False}


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"data": "<html>"}, "invalid_state"),
        ({"data": '{"text": "a\\u0000b"}'}, "invalid_state"),  # PostgreSQL cannot store NUL in text
        ({"data": '{"score": NaN}'}, "invalid_state"),
        ({"data": '{"score": 1e999}'}, "invalid_state"),
        ({"data": "x" * (H5P_STATE_MAX_BYTES + 1)}, "state_too_large"),
        ({"preload": "1"}, "missing_data"),
    ],
)
def test_bad_posts_get_a_400_json_error_and_store_nothing(signed_in, lesson, form, code):
    response = signed_in.post(url_of(key_of(lesson)), form)
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["code"] == code and body["field"] == "data" and body["message"]
    assert not H5PState.objects.exists()


def test_another_learner_can_neither_read_nor_overwrite_my_state(signed_in, tree, lesson):
    url = url_of(key_of(lesson))
    signed_in.post(url, {"data": STATE})
    # enrolled in the same course: the same address is their own, empty, state
    classmate = UserFactory(username="classmate")
    Enrolment.objects.create(user=classmate, course=tree.course)
    theirs = Client()
    theirs.force_login(classmate)
    assert theirs.get(url).json() == {"success": True, "data": False}
    theirs.post(url, {"data": '{"overwritten": true}'})
    assert signed_in.get(url).json()["data"] == STATE
    # not enrolled: refused, and nothing of mine is shown
    stranger = Client()
    stranger.force_login(UserFactory(username="stranger"))
    response = stranger.get(url)
    assert response.status_code == 403 and response.json()["code"] == "not_enrolled" and STATE not in response.text
    assert stranger.post(url, {"data": "{}"}).status_code == 403
    # guessed ids: 404, whoever asks
    for guessed in (
        url.replace(f"/{lesson.pk}/", "/999999/"),
        url.replace(lesson.body[0].id, str(uuid.uuid4())),
        url.replace(key_of(lesson).content_id, "guess"),
    ):
        assert signed_in.get(guessed).status_code == 404
        assert signed_in.post(guessed, {"data": "{}"}).status_code == 404
    assert H5PState.objects.count() == 2
    assert signed_in.get(url).json()["data"] == STATE


def test_anonymous_visitors_are_refused(lesson):
    url = url_of(key_of(lesson))
    for response in (Client().get(url), Client().post(url, {"data": STATE})):
        assert response.status_code == 403 and response.json()["code"] == "not_signed_in"
    assert Client().put(url).status_code == 405
    assert not H5PState.objects.exists()


def test_csrf_is_enforced(learner, enrolment, lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    url = url_of(key_of(lesson))
    assert client.post(url, {"data": STATE}).status_code == 403
    assert not H5PState.objects.exists()
    page = client.get(lesson.url).content.decode()  # the lesson page gives the player the token
    token = player_config(page, lesson.body[0].id)["csrfToken"]
    assert client.post(url, {"data": STATE}, headers={"X-CSRFToken": token}).status_code == 200
    assert H5PState.objects.count() == 1


# --- the lesson page ---------------------------------------------------------------------------


def player_config(html: str, block_id: str) -> dict:
    found = re.search(rf'<script id="h5p-{block_id}-config"[^>]*>(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_the_page_preloads_the_state_for_an_enrolled_learner_only(signed_in, learner, lesson):
    key = key_of(lesson)
    save_h5p_state(user=learner, key=key, data=STATE)
    save_h5p_state(user=learner, key=key_of(lesson, data_type="later"), data="1", preload=False)
    config = player_config(signed_in.get(lesson.url).content.decode(), key.block_id)
    assert config["contentUserData"] == {"0": {"state": STATE}}  # preload=0 rows are fetched when asked
    assert config["stateUrl"] == url_of(key_of(lesson, data_type=":dataType", sub_content_id=":subContentId"))
    assert config["saveFreq"] > 0
    anonymous = player_config(Client().get(lesson.url).content.decode(), key.block_id)
    stranger = Client()
    stranger.force_login(UserFactory(username="stranger"))
    not_enrolled = player_config(stranger.get(lesson.url).content.decode(), key.block_id)
    for config in (anonymous, not_enrolled):
        assert "stateUrl" not in config and "contentUserData" not in config


def test_a_changed_package_is_reset_on_the_page(signed_in, learner, lesson, media):
    save_h5p_state(user=learner, key=key_of(lesson), data=STATE)
    lesson.body[0].value["activity"] = package("Re-uploaded")
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    config = player_config(signed_in.get(lesson.url).content.decode(), lesson.body[0].id)
    assert config["contentUserData"] == {"0": {"state": "RESET"}}  # H5P says the content changed
    assert signed_in.post(url_of(key_of(lesson)), {"data": "0"}).json() == {"success": True}  # the core's OK
    assert not H5PState.objects.exists()


def queries_of(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_preloading_costs_the_same_queries_whatever_the_number_of_blocks(signed_in, learner, tree, media):
    activities = [package(f"Activity {n}") for n in range(4)]
    one = LessonPageFactory(parent=tree.module, body=[h5p_block(activities[0])])
    four = LessonPageFactory(parent=tree.module, body=[h5p_block(a) for a in activities])
    empty = queries_of(signed_in, one.url)
    for lesson in (one, four):
        for index in range(len(lesson.body)):
            block = lesson.body[index]
            key = H5PStateKey(lesson_id=lesson.pk, block_id=block.id, content_id=str(block.value["activity"].uuid))
            save_h5p_state(user=learner, key=key, data=STATE)
            save_h5p_state(user=learner, key=H5PStateKey(**{**key.__dict__, "sub_content_id": "s1"}), data="2")
    assert queries_of(signed_in, one.url) == empty
    assert queries_of(signed_in, four.url) == empty
    html = signed_in.get(four.url).content.decode()
    assert all(player_config(html, block.id)["contentUserData"]["0"]["state"] == STATE for block in four.body)
