"""The reference site's locale middleware is the suite's (kept importable under its old name)."""

from learning_suite.middleware import UNLOCALISED_PREFIXES, SuiteLocaleMiddleware

SiteLocaleMiddleware = SuiteLocaleMiddleware

__all__ = ["UNLOCALISED_PREFIXES", "SiteLocaleMiddleware"]
