"""The project's own H5P content type and the tooling that packages activities with it.

``H5P.ShikkhaKnowledgeCheck`` (in ``content_types/``) is a small, accessible multiple-choice question
that reports a scored xAPI statement through the H5P core's event dispatcher. The demo site's
activities are built here from the fixture files, as ordinary ``.h5p`` packages that then go through
the same validation and storage as any upload: nothing under ``../shared/`` is needed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pyh5p.package import write_zip

CONTENT_TYPES = Path(__file__).resolve().parent / "content_types"
KNOWLEDGE_CHECK = "H5P.ShikkhaKnowledgeCheck"
KNOWLEDGE_CHECK_FOLDER = CONTENT_TYPES / f"{KNOWLEDGE_CHECK}-1.0"
INTERFACE_TEXT = {
    "en": {
        "check": "Check my answer",
        "retry": "Try again",
        "chooseOne": "Choose one answer first.",
        "correct": "Correct.",
        "wrong": "Not quite.",
        "score": "You scored :score out of :max.",
    },
    "bn": {
        "check": "উত্তর যাচাই করুন",
        "retry": "আবার চেষ্টা করুন",
        "chooseOne": "আগে একটি উত্তর বেছে নিন।",
        "correct": "সঠিক।",
        "wrong": "পুরোপুরি ঠিক হয়নি।",
        "score": ":max এর মধ্যে আপনার স্কোর :score।",
    },
}


class PackagingError(ValueError):
    """The activity's description cannot make a knowledge check (the message says why)."""


def _library_files(folder: Path) -> dict[str, bytes]:
    return {
        f"{folder.name}/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def knowledge_check_package(
    *, title: str, question: str, choices: Iterable[Mapping[str, Any]], language: str = "en", explanation: str = ""
) -> bytes:
    """A deterministic ``.h5p`` archive holding one knowledge check and the content type's library."""
    answers = [{"text": str(choice["text"]), "correct": bool(choice.get("correct"))} for choice in choices]
    if not 2 <= len(answers) <= 8:
        raise PackagingError(f"{title!r}: a knowledge check needs 2 to 8 answers")
    if sum(answer["correct"] for answer in answers) != 1:
        raise PackagingError(f"{title!r}: mark exactly one answer as correct")
    library = json.loads((KNOWLEDGE_CHECK_FOLDER / "library.json").read_text(encoding="utf-8"))
    metadata = {
        "title": title,
        "language": language,
        "mainLibrary": KNOWLEDGE_CHECK,
        "embedTypes": ["div"],
        "license": "CC BY 4.0",
        "defaultLanguage": language,
        "preloadedDependencies": [
            {
                "machineName": KNOWLEDGE_CHECK,
                "majorVersion": library["majorVersion"],
                "minorVersion": library["minorVersion"],
            }
        ],
    }
    content = {
        "question": question,
        "choices": answers,
        "explanation": explanation,
        "l10n": INTERFACE_TEXT.get(language, INTERFACE_TEXT["en"]),
    }
    files = {
        "h5p.json": json.dumps(metadata, ensure_ascii=False, indent=2).encode("utf-8"),
        "content/content.json": json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8"),
        **_library_files(KNOWLEDGE_CHECK_FOLDER),
    }
    return write_zip(files)
