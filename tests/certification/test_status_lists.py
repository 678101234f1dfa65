import os
import threading

import pytest
from django.db import connections

from certification.issuers import default_profile
from certification.models import StatusList
from certification.status_lists import (
    StatusIndexError,
    allocate_status_index,
    bit_is_set,
    decode_bits,
    encode_bits,
    new_status_list,
    with_bit,
)


def test_bit_order_and_encoding_follow_the_specification():
    bits = with_bit(bytes(16_384), 0, True)
    assert bits[0] == 0x80  # bit 0 is the most significant bit of the first byte
    bits = with_bit(bits, 131_071, True)
    assert bits[-1] == 0x01
    encoded = encode_bits(bits)
    assert encoded.startswith("u") and "=" not in encoded
    assert decode_bits(encoded) == bits
    assert bit_is_set(bits, 0) and not bit_is_set(bits, 1)
    with pytest.raises(StatusIndexError):
        bit_is_set(bits, 131_072)
    with pytest.raises(StatusIndexError):
        with_bit(bits, -1, True)


def test_indexes_are_scrambled_and_unique_until_the_list_is_full(db):
    profile = default_profile()
    small = new_status_list(issuer=profile, size=64)
    indexes = [allocate_status_index(issuer=profile) for _ in range(64)]
    assert {status_list.pk for status_list, _ in indexes} == {small.pk}
    assert sorted(index for _, index in indexes) == list(range(64))
    assert [index for _, index in indexes] != list(range(64)) or small.stride == 1
    status_list, index = allocate_status_index(issuer=profile)  # the 65th opens a new full-size list
    assert status_list.pk != small.pk and status_list.size == 131_072 and 0 <= index < 131_072


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite serialises all writers; row locking is tested against PostgreSQL (DATABASE_URL=postgres://...)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [256, 64], ids=["one list", "lists filling up"])
def test_concurrent_allocation_never_hands_out_an_index_twice(size):
    # 8 workers × 25: within one list (one UPDATE ... RETURNING each), and across full lists (the
    # locked path opens the next list while the others wait)
    profile = default_profile()
    new_status_list(issuer=profile, size=size)
    results, errors = [], []
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait()
            for _ in range(25):
                status_list, index = allocate_status_index(issuer=profile)
                results.append((status_list.pk, index))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 200 and len(set(results)) == 200
    lists = StatusList.objects.filter(issuer=profile)
    assert sum(status_list.allocated for status_list in lists) == 200
    assert all(status_list.allocated <= status_list.size for status_list in lists)
    assert StatusList.objects.get(size=size).allocated == min(size, 200)
