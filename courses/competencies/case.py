"""A competency framework as a 1EdTech CASE 1.0 package (CFPackage), for other systems to read.

The package has the framework's CFDocument, one CFItem per competency and one ``isChildOf``
CFAssociation from each item to the document. Identifiers are the objects' ``translation_key`` (the
same for every language's copy), so an OB 3.0 credential's alignment (``targetType: CFItem``,
``targetCode`` = the item's identifier) names the same item whatever language it was issued in. Every
``uri`` resolves on this site under ``/ims/case/v1p0/``, the path CASE consumers expect.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from .models import Competency, CompetencyFramework

CASE_PATH = "/ims/case/v1p0"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def document_uri(identifier: str, *, site: str) -> str:
    return f"{site}{CASE_PATH}/CFDocuments/{identifier}"


def package_uri(identifier: str, *, site: str) -> str:
    return f"{site}{CASE_PATH}/CFPackages/{identifier}"


def item_uri(identifier: str, *, site: str) -> str:
    return f"{site}{CASE_PATH}/CFItems/{identifier}"


def association_identifier(framework: CompetencyFramework, competency: Competency) -> str:
    """Stable: the same association gets the same identifier in every export."""
    return str(uuid.uuid5(framework.translation_key, f"isChildOf:{competency.identifier}"))


def link(title: str, identifier: str, uri: str) -> dict[str, str]:
    """A CASE LinkURI."""
    return {"title": title, "identifier": identifier, "uri": uri}


def cf_item(competency: Competency, framework: CompetencyFramework, *, site: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "identifier": competency.identifier,
        "uri": item_uri(competency.identifier, site=site),
        "fullStatement": competency.name,
        "humanCodingScheme": competency.code,
        "CFItemType": "Competency",
        "conceptKeywords": [competency.get_kind_display()],
        "language": framework.locale.language_code,
        "lastChangeDateTime": _when(competency.updated_at),
        "CFDocumentURI": link(framework.title, framework.identifier, document_uri(framework.identifier, site=site)),
    }
    if competency.description:
        item["notes"] = competency.description
    return item


def cf_document(framework: CompetencyFramework, *, site: str) -> dict[str, Any]:
    document: dict[str, Any] = {
        "identifier": framework.identifier,
        "uri": document_uri(framework.identifier, site=site),
        "creator": framework.creator,
        "title": framework.title,
        "lastChangeDateTime": _when(framework.updated_at),
        "language": framework.locale.language_code,
        "adoptionStatus": framework.adoption_status,
        "CFPackageURI": link(framework.title, framework.identifier, package_uri(framework.identifier, site=site)),
    }
    if framework.version:
        document["version"] = framework.version
    if framework.description:
        document["description"] = framework.description
    return document


def cf_package(framework: CompetencyFramework, competencies: list[Competency], *, site: str) -> dict[str, Any]:
    """The whole framework: document, items and their associations to the document."""
    document_link = link(framework.title, framework.identifier, document_uri(framework.identifier, site=site))
    associations = []
    for competency in competencies:
        identifier = association_identifier(framework, competency)
        associations.append(
            {
                "identifier": identifier,
                "uri": f"{site}{CASE_PATH}/CFAssociations/{identifier}",
                "associationType": "isChildOf",
                "originNodeURI": link(
                    competency.name, competency.identifier, item_uri(competency.identifier, site=site)
                ),
                "destinationNodeURI": document_link,
                "CFDocumentURI": document_link,
                "lastChangeDateTime": _when(max(competency.updated_at, framework.updated_at)),
            }
        )
    return {
        "CFDocument": cf_document(framework, site=site),
        "CFItems": [cf_item(competency, framework, site=site) for competency in competencies],
        "CFAssociations": associations,
    }
