"""The canonicaliser's processor (certification/jsonld_processor.py) gives pyld's own N-Quads for every
kind of document the site signs, call after call, and on a repeat call finds every type-scoped context
in its cache instead of processing it again."""

import copy
import json

import pytest
from pyld import jsonld
from pyld.jsonld import JsonLdProcessor

from certification import integrity
from certification.contexts import CREDENTIALS_V2, OPEN_BADGES_V3, offline_document_loader
from certification.jsonld_processor import CHECKED_VERSIONS, Processor
from certification.models import StatusList
from certification.services import signed_status_list

OPTIONS = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": offline_document_loader}


def by_pyld(document) -> str:
    return jsonld.normalize(document, dict(OPTIONS))


def unsigned(raw: str) -> dict:
    return {key: value for key, value in json.loads(raw).items() if key != "proof"}


#: Scoped contexts of every kind beside Open Badges' own: a type that propagates, a type that does not,
#: a property-scoped context, nested types, a type-scoped context that nullifies, and a list of contexts.
EDGE_CASES = [
    {
        "@context": {
            "@vocab": "https://example.org/vocab#",
            "Outer": {"@id": "https://example.org/Outer", "@context": {"label": "https://example.org/outerLabel"}},
            "Loud": {
                "@id": "https://example.org/Loud",
                "@context": {"@propagate": True, "label": "https://example.org/loudLabel"},
            },
            "inner": {"@id": "https://example.org/inner", "@context": {"label": "https://example.org/innerLabel"}},
        },
        "type": "Outer",
        "label": "outer",
        "child": {"label": "not scoped below a type that does not propagate"},
        "inner": {"label": "property scoped", "type": "Outer", "deeper": {"label": "reverted"}},
        "also": {"type": "Loud", "label": "loud", "below": {"label": "still loud below"}},
    },
    {
        "@context": [
            {"@vocab": "https://example.org/vocab#"},
            {"Reset": {"@id": "https://example.org/Reset", "@context": [None, {"name": "https://example.org/n"}]}},
        ],
        "type": "Reset",
        "name": "after a null context",
        "part": {"type": "Reset", "name": "twice"},
    },
    {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "type": ["Achievement"],
                "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
                "name": "x",
                "alignment": [{"type": ["Alignment"], "targetName": "t", "targetUrl": "https://example.org/t"}],
                "criteria": {"narrative": "n"},
            },
            "result": [{"type": ["Result"], "status": "Completed"}],
        },
        "evidence": [{"type": ["Evidence"], "name": "e"}],
    },
]


#: What canonicalising an expanded form must handle as pyld's own path does: a named graph, one named
#: by a relative IRI (left out of the dataset), a list, blank nodes and a typed value.
GRAPH_CASES = [
    {
        "@context": {"@vocab": "https://example.org/vocab#"},
        "@id": "https://example.org/graph",
        "@graph": [
            {"@id": "https://example.org/a", "knows": {"@id": "_:b0", "name": "blank"}},
            {"@id": "_:b1", "steps": {"@list": ["one", "two", {"@id": "https://example.org/c"}]}},
        ],
        "label": {"@value": "typed", "@type": "https://example.org/datatype"},
    },
    {
        "@context": {"@vocab": "https://example.org/vocab#", "@base": "https://example.org/"},
        "@id": "relative",
        "@graph": {"@id": "inner", "name": "in a graph named by a relative IRI"},
    },
]


@pytest.fixture
def signed_documents(accredited_course, bengali_course, officer, citizen, issue) -> list[dict]:
    english = issue(officer, accredited_course)
    bengali = issue(citizen, bengali_course)
    status_lists = [unsigned(signed_status_list(status_list=s)) for s in StatusList.objects.all()]
    assert status_lists, "issuing made a status list"
    return [unsigned(english.credential), unsigned(bengali.credential), *status_lists]


def test_the_pinned_pyld_is_the_one_the_processor_was_checked_against():
    # A new pyld in requirements.txt must be checked (run these tests) and added to CHECKED_VERSIONS;
    # until then the processor is pyld's own, correct and slower.
    import pyld

    assert pyld.__about__.__version__ in CHECKED_VERSIONS


def test_every_signed_document_canonicalises_as_pyld_does_call_after_call(signed_documents):
    documents = signed_documents + EDGE_CASES
    expected = [by_pyld(document) for document in documents]
    for _round in range(3):  # the later rounds run from the cache the first one filled
        assert [integrity.canonicalise(document) for document in documents] == expected
        assert [integrity.canonicalise(document) for document in reversed(documents)] == expected[::-1]


def test_every_signed_document_expands_as_pyld_does_call_after_call(signed_documents):
    # Signing expands the document once (integrity.ensure_nothing_dropped) and canonicalises that form.
    documents = signed_documents + EDGE_CASES
    options = {"documentLoader": offline_document_loader}
    expected = [jsonld.expand(document, dict(options)) for document in documents]
    for _round in range(3):
        assert [Processor().expand(document, dict(options)) for document in documents] == expected
        assert [integrity.ensure_nothing_dropped(document) for document in documents] == expected


def test_a_repeat_call_processes_no_context_again(signed_documents, monkeypatch):
    credential = signed_documents[1]
    calls = []
    real = JsonLdProcessor._create_term_definition

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(JsonLdProcessor, "_create_term_definition", counted)
    Processor().normalize(credential, dict(OPTIONS))
    calls.clear()
    Processor().normalize(credential, dict(OPTIONS))
    assert calls == []
    jsonld.normalize(credential, dict(OPTIONS))  # pyld as it is: the type-scoped contexts every time
    assert len(calls) > 20


@pytest.mark.parametrize("checked", [True, False], ids=["own dataset", "pyld normalize"])
def test_an_expanded_form_canonicalises_as_pyld_does_from_the_document(signed_documents, checked, monkeypatch):
    # Signing expands once (to check that nothing is dropped) and canonicalises that expanded form.
    if not checked:  # a pyld the processor was not checked against: pyld's own normalize
        monkeypatch.setattr("pyld.__about__.__version__", "0.0.0")
    for document in signed_documents + EDGE_CASES + GRAPH_CASES:
        expanded = jsonld.expand(document, {"documentLoader": offline_document_loader})
        before = copy.deepcopy(expanded)
        assert integrity.canonicalise_expanded(expanded) == by_pyld(document)
        assert expanded == before  # the caller's expanded form is left as it was
