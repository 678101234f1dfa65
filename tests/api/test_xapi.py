"""The statements resource speaks xAPI 1.0.3 (api/xapi.py): the version header on every request and
response, real paging through signed ``more`` links bound to their learner, single statements, the
``format``, ``ascending`` and ``attachments`` parameters, and a 400 for what it does not support."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lms.models import Statement
from lms.services import enrol
from tests.api.conftest import XAPI
from tests.lms.conftest import check_iri
from tests.lms.test_statements import statement

pytestmark = pytest.mark.django_db
STATEMENTS = "/api/v1/statements/"
EXPERIENCED = {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en": "experienced"}}


@pytest.fixture
def learner_client(people, tree):
    enrol(user=people.learner, course=tree.course)
    return people.client("learner")


def store(client, people, tree, count: int, **overrides) -> list[str]:
    """``count`` statements about the learner, one POST; their ids in the order sent."""
    bodies = [statement(people.learner, check_iri(tree.lessons[n % 3]), **overrides) for n in range(count)]
    response = client.post(STATEMENTS, bodies, format="json", headers=XAPI)
    assert response.status_code == 200, response.json()
    return [body["id"] for body in bodies]


def newest_first(ids: list[str]) -> list[str]:
    rows = Statement.objects.filter(statement_id__in=ids).order_by("-stored_at", "-id")
    return [str(row.statement_id) for row in rows]


def walk(client, params: dict) -> tuple[list[str], list[dict]]:
    """Every page of a query, following ``more``: the ids in order and each page's body."""
    bodies = [client.get(STATEMENTS, params, headers=XAPI).json()]
    while bodies[-1]["more"]:
        assert bodies[-1]["more"].startswith(f"{STATEMENTS}?more=")
        response = client.get(bodies[-1]["more"], headers=XAPI)
        assert response.status_code == 200, response.json()
        bodies.append(response.json())
    return [item["id"] for body in bodies for item in body["statements"]], bodies


# --- the version header ------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.0.3", "1.0.0", "1.0", "1.0.9"])
def test_every_1_0_version_is_accepted_and_answered_as_1_0_3(learner_client, version):
    response = learner_client.get(STATEMENTS, headers={"X-Experience-API-Version": version})
    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == "1.0.3"
    consistent = datetime.fromisoformat(response["X-Experience-API-Consistent-Through"])
    assert abs((timezone.now() - consistent).total_seconds()) < 60


@pytest.mark.parametrize("version", [None, "", "0.95", "0.9", "1.1.0", "2.0.0", "1.0.x", "1"])
def test_a_request_without_a_1_0_version_is_refused_and_changes_nothing(people, tree, learner_client, version):
    headers = {} if version is None else {"X-Experience-API-Version": version}
    body = statement(people.learner, check_iri(tree.lessons[0]))
    for response in (
        learner_client.get(STATEMENTS, headers=headers),
        learner_client.post(STATEMENTS, body, format="json", headers=headers),
        learner_client.put(f"{STATEMENTS}?statementId={body['id']}", body, format="json", headers=headers),
    ):
        assert response.status_code == 400
        assert response.json()["field"] == "X-Experience-API-Version"
        assert response.json()["code"] == ("xapi_version_missing" if version is None else "xapi_version_unsupported")
        assert response["X-Experience-API-Version"] == "1.0.3"
    assert not Statement.objects.exists()


def test_refusals_of_authentication_carry_the_version_too(people):
    response = people.client(None).get(STATEMENTS, headers=XAPI)
    # 401 with a Basic challenge: LRS clients authenticate with HTTP Basic (docs/xapi.md)
    assert (response.status_code, response["X-Experience-API-Version"]) == (401, "1.0.3")


def test_the_rest_of_the_api_does_not_ask_for_the_header(people, learner_client):
    response = learner_client.get("/api/v1/me/enrolments/")
    assert response.status_code == 200
    assert "X-Experience-API-Version" not in response


# --- paging ------------------------------------------------------------------------------------


def test_more_pages_through_the_whole_query_newest_first(people, tree, learner_client):
    ids = store(learner_client, people, tree, 7)
    read, bodies = walk(learner_client, {"limit": 3})
    assert [len(body["statements"]) for body in bodies] == [3, 3, 1]
    assert read == newest_first(ids)
    assert bodies[-1]["more"] == ""


def test_ascending_pages_oldest_first(people, tree, learner_client):
    ids = store(learner_client, people, tree, 5)
    read, _bodies = walk(learner_client, {"limit": 2, "ascending": "true"})
    assert read == list(reversed(newest_first(ids)))


def test_statements_stored_with_the_same_time_are_neither_skipped_nor_repeated(people, tree, learner_client):
    ids = store(learner_client, people, tree, 6)
    Statement.objects.update(stored_at=timezone.now())
    for ascending in ("false", "true"):
        read, _bodies = walk(learner_client, {"limit": 4, "ascending": ascending})
        assert sorted(read) == sorted(ids)
        assert len(read) == len(set(read))


def test_a_page_keeps_its_query_while_new_statements_arrive(people, tree, learner_client):
    answered = store(learner_client, people, tree, 4)
    experienced = store(learner_client, people, tree, 3, verb=EXPERIENCED)
    for ascending in ("false", "true"):
        first = learner_client.get(
            STATEMENTS, {"limit": 1, "verb": EXPERIENCED["id"], "ascending": ascending}, headers=XAPI
        ).json()
        arrived = store(learner_client, people, tree, 2, verb=EXPERIENCED)
        read = [item["id"] for item in first["statements"]]
        more = first["more"]
        while more:
            page = learner_client.get(more, headers=XAPI).json()
            assert len(page["statements"]) == 1
            read += [item["id"] for item in page["statements"]]
            more = page["more"]
        assert sorted(read) == sorted(experienced), "the same filter, no newcomer, nothing twice"
        assert not set(read) & set(answered + arrived)
        experienced += arrived


def test_format_travels_with_the_more_link(people, tree, learner_client):
    store(learner_client, people, tree, 3)
    _read, bodies = walk(learner_client, {"limit": 1, "format": "ids"})
    assert len(bodies) == 3
    for body in bodies:
        assert body["statements"][0]["verb"] == {"id": "http://adlnet.gov/expapi/verbs/answered"}


def test_another_learners_more_link_is_a_404_and_a_tampered_one_too(people, tree, learner_client):
    enrol(user=people.other_learner, course=tree.course)
    store(learner_client, people, tree, 3)
    more = learner_client.get(STATEMENTS, {"limit": 1}, headers=XAPI).json()["more"]
    assert more
    replayed = people.client("other_learner").get(more, headers=XAPI)
    assert (replayed.status_code, replayed.json()["code"]) == (404, "not_found")
    token = more.split("more=", 1)[1]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = learner_client.get(STATEMENTS, {"more": tampered}, headers=XAPI)
    assert response.status_code == 404
    assert learner_client.get(STATEMENTS, {"more": "not a link"}, headers=XAPI).status_code == 404
    assert learner_client.get(more, headers=XAPI).status_code == 200


def test_a_more_link_expires_and_goes_alone(people, tree, learner_client, settings):
    store(learner_client, people, tree, 2)
    more = learner_client.get(STATEMENTS, {"limit": 1}, headers=XAPI).json()["more"]
    with_filter = learner_client.get(f"{more}&verb={EXPERIENCED['id']}", headers=XAPI)
    assert (with_filter.status_code, with_filter.json()["code"]) == (400, "more_alone")
    settings.XAPI_MORE_LINK_SECONDS = 0  # issued at a whole second, read a fraction later: already too old
    expired = learner_client.get(more, headers=XAPI)
    assert (expired.status_code, expired.json()["code"], expired.json()["field"]) == (400, "more_expired", "more")


def _queries(client, url: str, params: dict | None = None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params, headers=XAPI)
    assert response.status_code == 200
    return len(context), response.json()


def test_a_page_costs_the_same_queries_whatever_its_size(people, tree, learner_client):
    store(learner_client, people, tree, 24)
    small, small_page = _queries(learner_client, STATEMENTS, {"limit": 2})
    large, large_page = _queries(learner_client, STATEMENTS, {"limit": 10})
    assert (len(small_page["statements"]), len(large_page["statements"])) == (2, 10)
    assert small == large
    next_small, _page = _queries(learner_client, small_page["more"])
    next_large, _page = _queries(learner_client, large_page["more"])
    assert next_small == next_large == small


# --- single statements -------------------------------------------------------------------------


def test_statement_id_answers_the_statement_itself(people, tree, learner_client):
    [statement_id] = store(learner_client, people, tree, 1)
    response = learner_client.get(STATEMENTS, {"statementId": statement_id}, headers=XAPI)
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], "statements" in body) == (statement_id, False)
    stored = Statement.objects.get().stored_at
    assert response["Last-Modified"] == stored.strftime("%a, %d %b %Y %H:%M:%S GMT")
    ids = learner_client.get(STATEMENTS, {"statementId": statement_id, "format": "ids"}, headers=XAPI).json()
    assert ids["actor"] == {"objectType": "Agent", "account": body["actor"]["account"]}
    plain = learner_client.get(STATEMENTS, {"statementId": statement_id, "attachments": "false"}, headers=XAPI)
    assert plain.json() == body


def test_statement_id_takes_only_format_and_attachments(people, tree, learner_client):
    [statement_id] = store(learner_client, people, tree, 1)
    for extra in ({"limit": "1"}, {"verb": EXPERIENCED["id"]}, {"voidedStatementId": statement_id}):
        response = learner_client.get(STATEMENTS, {"statementId": statement_id, **extra}, headers=XAPI)
        assert response.status_code == 400
        assert response.json()["field"] in ("limit", "verb", "voidedStatementId")


def test_voiding_hides_a_statement_until_asked_by_voided_statement_id(people, tree, learner_client):
    [statement_id] = store(learner_client, people, tree, 1)
    unvoided = learner_client.get(STATEMENTS, {"voidedStatementId": statement_id}, headers=XAPI)
    assert (unvoided.status_code, unvoided.json()["message"]) == (404, "No voided statement has this id.")
    voiding = statement(
        people.learner,
        check_iri(tree.lessons[0]),
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": statement_id},
    )
    voiding.pop("result")
    stored = learner_client.post(STATEMENTS, voiding, format="json", headers=XAPI)
    assert stored.status_code == 200, stored.json()
    assert learner_client.get(STATEMENTS, {"statementId": statement_id}, headers=XAPI).status_code == 404
    voided = learner_client.get(STATEMENTS, {"voidedStatementId": statement_id}, headers=XAPI)
    assert (voided.status_code, voided.json()["id"]) == (200, statement_id)
    listed = learner_client.get(STATEMENTS, headers=XAPI).json()["statements"]
    assert [item["id"] for item in listed] == [voiding["id"]]


# --- format, attachments, ascending and the parameters that are not offered --------------------


def test_format_ids_keeps_only_identifiers(people, tree, learner_client):
    body = statement(
        people.learner,
        check_iri(tree.lessons[0]),
        verb=EXPERIENCED,
        context={
            "contextActivities": {
                "parent": [{"id": check_iri(tree.lessons[1]), "definition": {"name": {"en": "Lesson"}}}]
            },
            "registration": "0f7c7c4e-3d7e-4c5e-9d7e-5a5f0c1e2b3a",
        },
    )
    body["actor"]["name"] = "Nusrat Jahan"
    body["object"]["definition"] = {"name": {"en": "Check", "bn": "যাচাই"}}
    learner_client.post(STATEMENTS, body, format="json", headers=XAPI)
    [exact] = learner_client.get(STATEMENTS, headers=XAPI).json()["statements"]
    [ids] = learner_client.get(STATEMENTS, {"format": "ids"}, headers=XAPI).json()["statements"]
    assert exact["object"]["definition"]["name"]["bn"] == "যাচাই"
    assert ids["actor"] == {"objectType": "Agent", "account": body["actor"]["account"]}
    assert ids["verb"] == {"id": EXPERIENCED["id"]}
    assert ids["object"] == {"objectType": "Activity", "id": body["object"]["id"]}
    assert ids["context"] == {
        "contextActivities": {"parent": [{"id": check_iri(tree.lessons[1])}]},
        "registration": "0f7c7c4e-3d7e-4c5e-9d7e-5a5f0c1e2b3a",
    }
    assert (ids["id"], ids["result"], ids["stored"]) == (exact["id"], exact["result"], exact["stored"])


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"format": "short"}, "format", "invalid_choice"),
        ({"attachments": "yes"}, "attachments", "invalid_choice"),
        ({"ascending": "yes"}, "ascending", "invalid_choice"),
        ({"agent": '{"mbox": "learner@example.gov.bd"}'}, "agent.mbox", "invalid_mbox"),
        ({"registration": "not-a-uuid"}, "registration", "invalid"),
        ({"related_activities": "maybe"}, "related_activities", "invalid_choice"),
        ({"Verb": EXPERIENCED["id"]}, "Verb", "unknown_parameter"),
        ({"page": "2"}, "page", "unknown_parameter"),
    ],
)
def test_malformed_or_unknown_parameters_are_refused_by_name(learner_client, params, field, code):
    response = learner_client.get(STATEMENTS, params, headers=XAPI)
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["code"]) == (field, code)


def test_parameters_on_post_and_put_are_refused_and_store_nothing(people, tree, learner_client):
    body = statement(people.learner, check_iri(tree.lessons[0]))
    posted = learner_client.post(f"{STATEMENTS}?method=GET", body, format="json", headers=XAPI)
    assert (posted.status_code, posted.json()["field"]) == (400, "method")
    put = learner_client.put(f"{STATEMENTS}?statementId={body['id']}&limit=1", body, format="json", headers=XAPI)
    assert (put.status_code, put.json()["field"]) == (400, "limit")
    assert not Statement.objects.exists()


# --- stored and timestamp are the store's ------------------------------------------------------


def test_the_store_sets_stored_whatever_the_client_sent_and_timestamp_when_missing(people, tree, learner_client):
    claimed = statement(people.learner, check_iri(tree.lessons[0]), stored="2001-01-01T00:00:00+00:00")
    claimed.pop("timestamp", None)
    dated = statement(people.learner, check_iri(tree.lessons[1]), timestamp="2026-01-02T03:04:05+06:00")
    before = timezone.now()
    response = learner_client.post(STATEMENTS, [claimed, dated], format="json", headers=XAPI)
    assert response.status_code == 200, response.json()
    rows = {str(row.statement_id): row for row in Statement.objects.all()}
    first, second = rows[claimed["id"]], rows[dated["id"]]
    assert datetime.fromisoformat(first.payload["stored"]) == first.stored_at >= before
    assert first.payload["timestamp"] == first.payload["stored"]  # none given: the moment it was stored
    assert second.payload["timestamp"] == "2026-01-02T03:04:05+06:00"  # given: kept as sent
    got = learner_client.get(STATEMENTS, {"statementId": claimed["id"]}, headers=XAPI).json()
    assert got["stored"] == first.payload["stored"] != "2001-01-01T00:00:00+00:00"
