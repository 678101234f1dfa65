"""Course packs signed with the site's own key (the one that signs its certificates).

The reference site sets ``COURSES_PACK_SIGNER = "certification.pack_signer.site_signer"``; courses
cannot import certification, so it asks for the signer through that setting (docs/packs.md).
"""

from courses.packs.signing import PackSigner, encode_public_key

from .keys import key_ring, site_did


def site_signer() -> PackSigner:
    """The active key signs; the retired keys stay trusted as the site's own."""
    ring = key_ring()
    own = tuple(encode_public_key(key.public_key) for key in ring.published)
    return PackSigner(name=f"{site_did()}#{ring.active_id}", private_key=ring.active_key, own_keys=own)
