"""Sites a test starts of its own (a second site, a production server) on a copy of the migrated
SQLite database that the ``fresh_site_database`` fixture (tests/conftest.py) puts in place."""


def assert_nothing_to_migrate(completed, copied: bool) -> None:
    """``manage.py migrate`` run on a copied database found it complete."""
    assert completed.returncode == 0, completed.stdout + completed.stderr
    if copied:
        assert "No migrations to apply." in completed.stdout, completed.stdout
