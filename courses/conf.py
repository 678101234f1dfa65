"""The courses app's settings, with their defaults (docs/settings.md lists each one)."""

from foundation.app_settings import AppSettings

courses_settings = AppSettings(
    "courses",
    {
        # The site's public address: activity IRIs (xAPI) and links in emails are built from it.
        # Wagtail's own setting; empty means not configured (courses.E002).
        "WAGTAILADMIN_BASE_URL": "",
        # H5P uploads: what one package may cost (docs/h5p.md).
        "H5P_MAX_PACKAGE_BYTES": 100 * 1024 * 1024,
        "H5P_MAX_EXPANDED_BYTES": 250 * 1024 * 1024,
        "H5P_MAX_FILE_BYTES": 50 * 1024 * 1024,
        "H5P_MAX_MEMBERS": 5_000,
        "H5P_MAX_COMPRESSION_RATIO": 100.0,
        # SCORM uploads: what one package may cost (docs/scorm.md); vendors' packages carry video.
        "SCORM_MAX_PACKAGE_BYTES": 200 * 1024 * 1024,
        "SCORM_MAX_EXPANDED_BYTES": 500 * 1024 * 1024,
        "SCORM_MAX_FILE_BYTES": 100 * 1024 * 1024,
        "SCORM_MAX_MEMBERS": 10_000,
        "SCORM_MAX_COMPRESSION_RATIO": 100.0,
        # The H5P core API version the served player (h5p-standalone) provides.
        "H5P_CORE_API": "1.27",
        # Course packs (docs/packs.md): who signs this site's packs, whose packs import without a
        # confirmation, and what one pack may cost.
        "COURSES_PACK_SIGNER": "courses.packs.signing.signer_from_settings",
        "COURSES_PACK_SIGNING_KEY": "",
        "COURSES_PACK_TRUSTED_SIGNERS": [],
        "COURSES_PACK_MAX_BYTES": 1024 * 1024 * 1024,
        "COURSES_PACK_MAX_EXPANDED_BYTES": 2 * 1024 * 1024 * 1024,
        "COURSES_PACK_MAX_FILE_BYTES": 500 * 1024 * 1024,
        "COURSES_PACK_MAX_MEMBERS": 10_000,
        # Offline lessons (docs/offline.md): the installable app, "Save for offline" and the outbox.
        "COURSES_OFFLINE_LESSONS": True,
        # Celery's setting: true runs uploads' validation at once in the web process.
        "CELERY_TASK_ALWAYS_EAGER": False,
    },
)
