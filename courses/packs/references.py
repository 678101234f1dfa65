"""What a lesson body or a rich text field points at, written so that another site can resolve it.

On this site a body names images, documents, H5P activities and SCORM packages by primary key, and
rich text names pages and documents by id. A pack cannot carry primary keys: images and documents
travel as their SHA-256, H5P activities and SCORM packages as their uuid (their content never changes
once uploaded), pages as their ``translation_key``. The walk follows the block definitions, so a
new chooser block in ``LessonBodyBlock`` is either handled here or refused by name on export.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from wagtail import blocks

Visit = Callable[[str, Any], Any]  # (kind: "image" | "document" | "h5p" | "scorm" | "richtext", value)

ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


class UnknownReference(ValueError):
    """A chooser block of a model packs cannot carry."""


def kind_of(block: blocks.Block) -> str | None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from ..models import H5PActivity, ScormPackage

    if isinstance(block, blocks.RichTextBlock):
        return "richtext"
    model = getattr(block, "target_model", None)
    if model is None:
        return None
    kinds = {get_image_model(): "image", get_document_model(): "document", H5PActivity: "h5p", ScormPackage: "scorm"}
    if model in kinds:
        return kinds[model]
    raise UnknownReference(f"{block.name or type(block).__name__}: {model._meta.label} cannot travel in a pack")


def walk(block: blocks.Block, raw: Any, visit: Visit) -> Any:
    """``raw`` (StreamField raw data under ``block``) with every reference replaced by ``visit``'s answer."""
    if raw is None:
        return None
    if isinstance(block, (blocks.StreamBlock, blocks.ListBlock)) and not isinstance(raw, list):
        raise TypeError(f"{block.name or 'body'}: expected a list of blocks")
    if isinstance(block, blocks.StructBlock) and not isinstance(raw, dict):
        raise TypeError(f"{block.name}: expected a mapping of fields")
    if isinstance(block, blocks.StreamBlock):
        return [
            {**child, "value": walk(block.child_blocks[child["type"]], child.get("value"), visit)}
            for child in raw
            if _known_child(block, child)
        ]
    if isinstance(block, blocks.StructBlock):
        return {
            name: walk(block.child_blocks[name], value, visit) if name in block.child_blocks else value
            for name, value in dict(raw).items()
        }
    if isinstance(block, blocks.ListBlock):
        items = []
        for item in raw:
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                items.append({**item, "value": walk(block.child_block, item["value"], visit)})
            else:
                items.append(walk(block.child_block, item, visit))
        return items
    kind = kind_of(block)
    if kind is None or raw in ("", None):
        return raw
    return visit(kind, raw)


def _known_child(block: blocks.StreamBlock, child: Any) -> bool:
    """A block of a type the body knows; anything that is not a block at all is malformed."""
    if not isinstance(child, dict) or "type" not in child:
        raise TypeError("a stream item is not a block")
    return child["type"] in block.child_blocks


def rewrite_rich_text(html: str, *, page: Callable[[str], str | None], document: Callable[[str], str | None]) -> str:
    """Rich text with page and document ids mapped by ``page``/``document``; a link whose target
    cannot be mapped (None) keeps its text and loses the link."""

    def mapped(attributes: str) -> tuple[str | None, str]:
        values = dict(ATTRIBUTE.findall(attributes))
        kind = values.get("linktype")
        if kind not in ("page", "document") or "id" not in values:
            return "keep", attributes
        target = (page if kind == "page" else document)(values["id"])
        if target is None:
            return None, attributes
        return "keep", re.sub(r'\bid="[^"]*"', f'id="{target}"', attributes, count=1)

    def anchor(match: re.Match) -> str:
        action, attributes = mapped(match.group(1))
        if action is None:
            return match.group(2)
        return f"<a{attributes}>{match.group(2)}</a>"

    return ANCHOR.sub(anchor, html or "")
