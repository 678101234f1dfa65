"""Competency frameworks exported as 1EdTech CASE 1.0 packages: the structure CASE 1.0 requires of a
CFPackage (checked against a schema of its required fields written here from the specification's
data model; nothing fetched), identifiers shared by every language's copy, and the URIs resolving."""

import uuid

import jsonschema
import pytest
from django.test import Client

from courses.competencies.models import Competency, CompetencyFramework
from courses.competencies.selectors import competencies_by_key, competencies_of_course, course_competency_keys
from tests.factories import locale, translate
from tests.programmes import framework_with

pytestmark = pytest.mark.django_db

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
LINK = {
    "type": "object",
    "required": ["title", "identifier", "uri"],
    "properties": {
        "title": {"type": "string"},
        "identifier": {"pattern": UUID},
        "uri": {"type": "string", "format": "uri"},
    },
}
CASE_PACKAGE = {
    "type": "object",
    "required": ["CFDocument"],
    "properties": {
        "CFDocument": {
            "type": "object",
            "required": ["identifier", "uri", "creator", "title", "lastChangeDateTime"],
            "properties": {
                "identifier": {"pattern": UUID},
                "lastChangeDateTime": {"pattern": DATETIME},
                "adoptionStatus": {"enum": ["Private Draft", "Draft", "Adopted", "Deprecated"]},
                "CFPackageURI": LINK,
            },
        },
        "CFItems": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["identifier", "uri", "fullStatement", "lastChangeDateTime"],
                "properties": {
                    "identifier": {"pattern": UUID},
                    "lastChangeDateTime": {"pattern": DATETIME},
                    "CFDocumentURI": LINK,
                    "humanCodingScheme": {"type": "string"},
                    "CFItemType": {"type": "string"},
                },
            },
        },
        "CFAssociations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "identifier",
                    "uri",
                    "associationType",
                    "originNodeURI",
                    "destinationNodeURI",
                    "lastChangeDateTime",
                ],
                "properties": {
                    "identifier": {"pattern": UUID},
                    "associationType": {
                        "enum": [
                            "isChildOf",
                            "isPeerOf",
                            "isPartOf",
                            "exactMatchOf",
                            "precedes",
                            "isRelatedTo",
                            "replacedBy",
                            "exemplar",
                            "hasSkillLevel",
                        ]
                    },
                    "originNodeURI": LINK,
                    "destinationNodeURI": LINK,
                    "lastChangeDateTime": {"pattern": DATETIME},
                },
            },
        },
    },
}


@pytest.fixture
def competencies(db):
    return framework_with(("DG-1", "Interoperability of government systems"), ("DG-2", "Designing public services"))


def test_the_framework_is_a_case_package(competencies):
    framework = competencies[0].framework
    response = Client().get(f"/ims/case/v1p0/CFPackages/{framework.translation_key}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    package = response.json()
    jsonschema.validate(package, CASE_PACKAGE, format_checker=jsonschema.FormatChecker())
    document = package["CFDocument"]
    assert document["title"] == "Digital governance competencies" and document["creator"]
    assert [item["humanCodingScheme"] for item in package["CFItems"]] == ["DG-1", "DG-2"]
    item_ids = {item["identifier"] for item in package["CFItems"]}
    assert item_ids == {str(c.translation_key) for c in competencies}
    for association in package["CFAssociations"]:
        assert association["associationType"] == "isChildOf"
        assert association["originNodeURI"]["identifier"] in item_ids
        assert association["destinationNodeURI"]["identifier"] == document["identifier"]
    # the same package twice: the same association identifiers (stable)
    again = Client().get(f"/ims/case/v1p0/CFPackages/{framework.translation_key}").json()
    assert [a["identifier"] for a in again["CFAssociations"]] == [a["identifier"] for a in package["CFAssociations"]]


def test_every_uri_of_the_package_resolves(competencies):
    framework = competencies[0].framework
    package = Client().get(f"/ims/case/v1p0/CFPackages/{framework.translation_key}").json()
    client = Client()
    for uri in [package["CFDocument"]["uri"], package["CFDocument"]["CFPackageURI"]["uri"]] + [
        item["uri"] for item in package["CFItems"]
    ]:
        path = "/" + uri.split("://", 1)[1].split("/", 1)[1]
        assert client.get(path).status_code == 200, uri
    item = client.get(f"/ims/case/v1p0/CFItems/{competencies[0].translation_key}").json()
    assert item["fullStatement"] == "Interoperability of government systems"


def test_a_translation_is_the_same_framework_in_another_language(competencies):
    framework = competencies[0].framework
    bengali = framework.copy_for_translation(locale("bn"))
    bengali.title = "ডিজিটাল শাসনের দক্ষতা"
    bengali.save()
    copy = competencies[0].copy_for_translation(locale("bn"))
    copy.framework = bengali
    copy.name = "সরকারি ব্যবস্থার আন্তঃকার্যক্ষমতা"
    copy.save()
    package = Client().get(f"/ims/case/v1p0/CFPackages/{framework.translation_key}?lang=bn").json()
    assert package["CFDocument"]["identifier"] == str(framework.translation_key)
    assert package["CFDocument"]["title"] == "ডিজিটাল শাসনের দক্ষতা" and package["CFDocument"]["language"] == "bn"
    statements = {item["identifier"]: item["fullStatement"] for item in package["CFItems"]}
    assert statements[str(competencies[0].translation_key)] == "সরকারি ব্যবস্থার আন্তঃকার্যক্ষমতা"
    assert statements[str(competencies[1].translation_key)] == "Designing public services"  # not translated yet
    assert Competency.objects.count() == 3 and CompetencyFramework.objects.count() == 2


def test_an_unknown_identifier_is_a_case_404(db):
    response = Client().get(f"/ims/case/v1p0/CFPackages/{uuid.uuid4()}")
    assert response.status_code == 404 and response.json()["imsx_codeMajor"] == "failure"
    assert Client().get("/ims/case/v1p0/CFPackages/not-a-uuid").status_code != 200  # no route: not served
    assert Client().post(f"/ims/case/v1p0/CFItems/{uuid.uuid4()}").status_code == 405


def test_a_course_builds_what_any_of_its_copies_names_in_the_readers_language(
    tree, competencies, django_assert_num_queries
):
    interop, design = competencies
    tree.course.competencies.set([interop])
    tree.course.save_revision().publish()
    bengali_course = translate(tree.course, "bn", title="আন্তঃকার্যক্ষমতা")
    bengali_course.competencies.set([design])  # named on the Bengali copy only
    bengali_course.save_revision().publish()
    framework_bn = interop.framework.copy_for_translation(locale("bn"))
    framework_bn.save()
    interop_bn = interop.copy_for_translation(locale("bn"))
    interop_bn.framework = framework_bn
    interop_bn.name = "সরকারি ব্যবস্থার আন্তঃকার্যক্ষমতা"
    interop_bn.save()
    keys = course_competency_keys([tree.course.translation_key])[tree.course.translation_key]
    for language, expected in (("bn", [interop_bn, design]), ("en", [interop, design])):
        with django_assert_num_queries(1):  # what issuance asks for each certificate: one query
            found = competencies_of_course(tree.course.translation_key, language)
        assert found == expected == competencies_by_key(keys, language)
