"""Development: the embedded default with debug on. Used by ``manage.py`` unless told otherwise."""

from .base import *  # noqa: F403
from .base import SECRET_KEY as _SECRET_KEY

DEBUG = True
SECRET_KEY = _SECRET_KEY or "dev-only-not-secret-2b8f0d6c9e4a4d6b9a1f"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# The embedded default keeps everything under var/; make sure it exists before anything opens it.
for _folder in (VAR_DIR, STATIC_ROOT, MEDIA_ROOT):  # noqa: F405
    _folder.mkdir(parents=True, exist_ok=True)
