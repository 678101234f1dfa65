"""Bitstring Status Lists: revocation bits that a verifier fetches as one signed credential.

Bit 0 is the most significant bit of the first byte; the list is published gzip-compressed and
base64url-encoded (multibase prefix "u"), as the W3C Bitstring Status List specification says.
"""

import base64
import gzip
import secrets

from django.db import connections, router, transaction
from django.utils import timezone

from .models import STATUS_LIST_SIZE, IssuerProfile, StatusList


class StatusIndexError(ValueError):
    """A status list index outside the list."""


def encode_bits(bits: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(bits, mtime=0)).rstrip(b"=").decode("ascii")


def decode_bits(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (start with 'u')")
    payload = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusIndexError(f"Status index {index} is outside the list (0 to {len(bits) * 8 - 1}).")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def with_bit(bits: bytes, index: int, value: bool) -> bytes:
    bit_is_set(bits, index)
    changed = bytearray(bits)
    if value:
        changed[index // 8] |= 0x80 >> (index % 8)
    else:
        changed[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF
    return bytes(changed)


def new_status_list(*, issuer: IssuerProfile, size: int = STATUS_LIST_SIZE) -> StatusList:
    return StatusList.objects.create(
        issuer=issuer,
        size=size,
        bits=bytes(size // 8),
        offset=secrets.randbelow(size),
        stride=secrets.randbelow(size // 2) * 2 + 1,  # odd, hence coprime with a power-of-two size
    )


def allocate_status_index(*, issuer: IssuerProfile) -> tuple[StatusList, int]:
    """Hand out one unused index, exactly once even when many workers ask at the same moment.

    Usually one statement (``_take_next_index``). When the issuer's newest list is full or missing,
    or the database cannot return rows from an UPDATE, the list's row is locked (SELECT ... FOR
    UPDATE) for the few statements it takes, in a transaction of its own so that slow signing and
    rendering never hold the lock.
    """
    taken = _take_next_index(issuer)
    if taken is not None:
        return taken
    with transaction.atomic():
        status_list = (
            StatusList.objects.select_for_update().filter(issuer=issuer, purpose="revocation").order_by("-id").first()
        )
        if status_list is None or status_list.is_full:
            status_list = new_status_list(issuer=issuer)
            status_list = StatusList.objects.select_for_update().get(pk=status_list.pk)
        index = _index(status_list.offset, status_list.stride, status_list.size, status_list.allocated)
        status_list.allocated += 1
        status_list.save(update_fields=["allocated", "updated_at"])
    return status_list, index


def _index(offset: int, stride: int, size: int, allocated: int) -> int:
    """The index handed out as the list's ``allocated``-th (from 0): a scrambled, one-to-one order."""
    return (offset + allocated * stride) % size


_TAKEN_FIELDS = ("id", "issuer_id", "purpose", "size", "allocated", "offset", "stride")


def _take_next_index(issuer: IssuerProfile) -> tuple[StatusList, int] | None:
    """The next index of the issuer's newest list in one UPDATE ... RETURNING, or None when that
    list is full, there is none yet, or the database has no UPDATE ... RETURNING.

    One statement is atomic on its own: PostgreSQL locks the row and re-checks ``allocated < size``
    on the newest row version when two workers update it at once (and increments that version);
    SQLite runs one writer at a time. It replaces a transaction of four statements (BEGIN, SELECT
    ... FOR UPDATE of the whole row, its 16 KB of bits included, UPDATE, COMMIT).
    """
    connection = connections[router.db_for_write(StatusList)]
    if connection.vendor not in {"postgresql", "sqlite"}:  # MySQL and MariaDB: no UPDATE ... RETURNING
        return None
    name = connection.ops.quote_name
    table = name(StatusList._meta.db_table)
    updated_at = StatusList._meta.get_field("updated_at").get_db_prep_value(timezone.now(), connection)
    returned = ", ".join(name(field) for field in _TAKEN_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {name('allocated')} = {name('allocated')} + 1, {name('updated_at')} = %s "  # noqa: S608 - names are the model's, quoted
            f"WHERE {name('id')} = (SELECT MAX({name('id')}) FROM {table} "
            f"WHERE {name('issuer_id')} = %s AND {name('purpose')} = %s) "
            f"AND {name('allocated')} < {name('size')} RETURNING {returned}",
            [updated_at, issuer.pk, "revocation"],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    status_list = StatusList.from_db(connection.alias, list(_TAKEN_FIELDS), list(row))  # the rest loads on use
    status_list.issuer = issuer
    index = _index(status_list.offset, status_list.stride, status_list.size, status_list.allocated - 1)
    return status_list, index
