"""The PostgreSQL recording function lives in ``lms/progress/record_activity_result.sql``; migrations
freeze a copy. The newest migration that installs the function must install exactly that file, so a
change to the rule in SQL cannot reach the code without a migration that brings it to databases."""

import importlib
import pkgutil
from pathlib import Path

import lms.migrations
import lms.progress

SQL_FILE = Path(lms.progress.__file__).parent / "record_activity_result.sql"


def _statement(text: str) -> str:
    """The SQL without comment lines and surrounding blank space."""
    lines = [line for line in text.strip().splitlines() if not line.startswith("--")]
    return "\n".join(lines).strip()


def _installing_migrations():
    for module in sorted(pkgutil.iter_modules(lms.migrations.__path__), key=lambda m: m.name):
        migration = importlib.import_module(f"lms.migrations.{module.name}")
        if "lms_record_activity_result" in getattr(migration, "FUNCTION", ""):
            yield module.name, migration.FUNCTION


def test_the_newest_migration_installs_exactly_the_sql_file():
    installing = list(_installing_migrations())
    assert installing, "no migration installs lms_record_activity_result"
    name, function = installing[-1]
    assert _statement(function) == _statement(SQL_FILE.read_text(encoding="utf-8")), (
        f"lms/progress/record_activity_result.sql differs from what migration {name} installs: "
        "add a migration that installs the new text"
    )
