"""Registries of accredited issuers: the ones this site's verifier trusts, and the one it publishes.

- ``sources``: the configured registries (URLs fetched and cached with a lifetime, or local files),
  read in the DCC format (``{"registry": {DID: {"name", "url", "location"}}}``) or OpenCerts-style
  JSON (``{"issuers": {id: {"name", ...}}}``).
- ``lookup``: which registry lists an issuer, under what name, or that none does, each registry's
  trouble (unreachable, malformed) reported by its name.
- ``models`` / ``publishing``: the accrediting bodies a ministry lists when the site runs as a
  registry, served in both formats for third-party verifiers.
"""
