"""The pack settings a system check guards: the signer must import, trusted keys must be keys."""

from courses.checks import check_pack_settings, check_settings


def test_a_signer_that_cannot_be_imported_is_an_error(settings):
    settings.COURSES_PACK_SIGNER = "nowhere.signer"
    assert [error.id for error in check_pack_settings()] == ["courses.E004"]


def test_a_trusted_signer_that_is_not_a_key_is_an_error(settings):
    settings.COURSES_PACK_TRUSTED_SIGNERS = ["ed25519:AAAA", "not a key"]
    assert [error.id for error in check_pack_settings()] == ["courses.E005", "courses.E005"]


def test_the_sites_pack_settings_pass():
    assert check_pack_settings() == []


def test_pack_limits_must_be_positive(settings):
    settings.COURSES_PACK_MAX_MEMBERS = 0
    assert "courses.E003" in [error.id for error in check_settings()]
