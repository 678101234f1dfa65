"""Signing in through another system: an OpenID Connect provider (``oidc_*``) or an LTI 1.3
platform's launch (``lms.lti``). Either way the learner is keyed on (issuer, ``sub``) in
``ExternalIdentity``, never linked to an existing account by email alone.
"""
