"""The learning suite as one thing a host Wagtail site wires in: its URLs, its locale middleware and
recommended settings. The apps themselves are ``foundation``, ``courses``, ``lms``, ``certification``
and ``api``; this package is not an app (it has no models) and need not be in INSTALLED_APPS."""
