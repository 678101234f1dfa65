"""Settings of the LTI platform peer (a separate process; nothing here is the site's)."""

SECRET_KEY = "platform-peer-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.peers.lti_platform.academy"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
