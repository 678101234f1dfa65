"""Settings for bench/api.py only: the test settings (no throttling, fast hashes) plus a urlconf that
adds a bare DRF endpoint returning a constant, the baseline every figure is divided by."""

from learning_site.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
