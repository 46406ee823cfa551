"""The packed row-id set kept in the state for deletion capture."""

from __future__ import annotations

import random

import pytest

from source_smartsheets.state.row_ids import CorruptRowIds, pack, unpack


@pytest.mark.parametrize("ids", [[], [1], [5, 3, 5, 1], [2**53 - 1, 10**15], list(range(10**15, 10**15 + 500))])
def test_given_ids_when_packed_then_unpacked_sorted_and_unique(ids: list[int]) -> None:
    assert unpack(pack(ids)) == sorted(set(ids))


def test_given_20000_random_ids_when_packed_then_under_8_bytes_a_row() -> None:
    rng = random.Random(5)
    ids = [rng.randrange(10**15, 2**53) for _ in range(20_000)]
    packed = pack(ids)
    assert unpack(packed) == sorted(set(ids))
    assert len(packed) < 8 * 20_000


@pytest.mark.parametrize("text", ["", "z2:abc", "z1:not-base64!!", "z1:" + "A" * 8])
def test_given_garbage_when_unpacked_then_corrupt_row_ids(text: str) -> None:
    with pytest.raises(CorruptRowIds):
        unpack(text)
