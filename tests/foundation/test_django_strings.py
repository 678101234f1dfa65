"""The Django messages named for our catalogues are Django's own, letter for letter."""

import ast
from pathlib import Path

import django

from foundation import django_strings

DJANGO = Path(django.__file__).parent
SOURCES = ["contrib/auth/password_validation.py", "contrib/auth/models.py", "forms/fields.py", "forms/models.py"]
SOURCES += ["core/validators.py", "utils/dates.py", "utils/dateformat.py"]
CONTEXTS = {"alt. month", "abbrev. month"}


def constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def named_messages() -> list[str]:
    tree = ast.parse(Path(django_strings.__file__).read_text(encoding="utf-8"))
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"_", "ngettext_lazy", "pgettext_lazy"}:
            texts += [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    return [text for text in texts if text not in CONTEXTS and text not in {"min_length", "limit_value"}]


def test_every_named_message_is_in_django_source():
    django_texts = set().union(*(constants(DJANGO / path) for path in SOURCES))
    texts = named_messages()
    assert len(texts) > 70
    assert [text for text in texts if text not in django_texts] == []
