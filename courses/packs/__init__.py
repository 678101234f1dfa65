"""Course packs: a course, all its translations and everything its pages use, in one signed archive.

``export.py`` writes a pack, ``reading.py`` opens one (archive hardening, manifest, checksums,
signature), ``importing.py`` plans and applies an import in one transaction, ``signing.py`` holds
the pluggable signer and the trust rule. docs/packs.md describes the format.
"""
