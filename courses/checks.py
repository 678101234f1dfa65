"""System checks for what the courses app needs from the host site (ids ``courses.E...``/``W...``)."""

from django.core.checks import Error, Warning, register

from foundation.app_settings import missing_apps, positive_number

from .conf import courses_settings

REQUIRED_APPS = {
    "foundation": "shared helpers of the suite",
    "wagtail": "course, module and lesson pages",
    "wagtail.admin": "trainers author courses in the Wagtail admin",
    "wagtail.contrib.routable_page": "lesson pages answer sub-routes",
    "wagtail.documents": "document blocks in lessons",
    "wagtail.embeds": "video blocks in lessons",
    "wagtail.images": "image blocks in lessons",
    "wagtail.snippets": "accrediting bodies, topics and H5P activities are snippets",
    "wagtail.search": "page search",
}
H5P_PLAYER = "h5p-standalone/main.bundle.js"
NUMBERS = [
    "H5P_MAX_PACKAGE_BYTES",
    "H5P_MAX_EXPANDED_BYTES",
    "H5P_MAX_FILE_BYTES",
    "H5P_MAX_MEMBERS",
    "H5P_MAX_COMPRESSION_RATIO",
    "COURSES_PACK_MAX_BYTES",
    "COURSES_PACK_MAX_EXPANDED_BYTES",
    "COURSES_PACK_MAX_FILE_BYTES",
    "COURSES_PACK_MAX_MEMBERS",
]


@register()
def check_apps(app_configs=None, **kwargs):
    return missing_apps(REQUIRED_APPS, app_label="courses", check_id="courses.E001")


@register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    if not str(courses_settings.WAGTAILADMIN_BASE_URL or "").strip():
        errors.append(
            Error(
                "WAGTAILADMIN_BASE_URL is not set: activity IRIs and links in emails are built from the site's "
                "public address.",
                hint='Set WAGTAILADMIN_BASE_URL = "https://learning.example.gov" (no trailing slash).',
                id="courses.E002",
            )
        )
    for name in NUMBERS:
        errors += positive_number(getattr(courses_settings, name), name=name, check_id="courses.E003", kind=float)
    return errors


@register()
def check_pack_settings(app_configs=None, **kwargs):
    """A signer that cannot be imported breaks every export; a trusted key that cannot be read trusts nobody."""
    from django.utils.module_loading import import_string

    from .packs.signing import decode_public_key

    errors = []
    path = str(courses_settings.COURSES_PACK_SIGNER or "")
    try:
        import_string(path)
    except ImportError as exc:
        errors.append(
            Error(
                f"COURSES_PACK_SIGNER {path!r} cannot be imported: {exc}",
                hint="A dotted path to a callable returning courses.packs.signing.PackSigner (docs/packs.md).",
                id="courses.E004",
            )
        )
    trusted = courses_settings.COURSES_PACK_TRUSTED_SIGNERS
    for key in [trusted] if isinstance(trusted, str) else trusted or []:
        try:
            decode_public_key(str(key).strip())
        except ValueError as exc:
            errors.append(
                Error(
                    f"COURSES_PACK_TRUSTED_SIGNERS: {exc}",
                    hint="List keys as export_course prints them: ed25519:<base64url>.",
                    id="courses.E005",
                )
            )
    return errors


@register()
def check_h5p_player(app_configs=None, **kwargs):
    """The lesson page loads the H5P player from the site's static files; the wheel carries it."""
    from django.contrib.staticfiles import finders

    if finders.find(H5P_PLAYER):
        return []
    return [
        Warning(
            f"The H5P player ({H5P_PLAYER}) is not among the static files: H5P activities will not play.",
            hint="Install the suite from its wheel (it carries the player), or add node_modules/h5p-standalone/dist "
            'to STATICFILES_DIRS under the prefix "h5p-standalone" after `npm ci`.',
            id="courses.W001",
        )
    ]
