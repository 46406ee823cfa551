"""A short digest of a record or a cell, and many of them packed by id into a state's text (pure, table-tested):
what the streams around rows and cell history keep to tell a change without a timestamp."""

from __future__ import annotations

import hashlib
from typing import Any, Mapping

import orjson

from .row_ids import CorruptRowIds, delta_varints, read_delta_varints, squeeze, unsqueeze

ITEMS_PREFIX = "d1:"
DIGEST_BYTES = 4  # a changed record is missed with odds of 1 in 4 billion; 8 bytes a record before compression


def digest(record: Mapping[str, Any]) -> bytes:
    return hashlib.blake2b(orjson.dumps(record, option=orjson.OPT_SORT_KEYS), digest_size=DIGEST_BYTES).digest()


def pack_items(items: Mapping[int, bytes]) -> str:
    """Ids delta-encoded as varints, then their digests in the same order; zlib, base64url."""
    ordered = sorted(items)
    return ITEMS_PREFIX + squeeze(len(ordered).to_bytes(4, "big") + delta_varints(ordered) + b"".join(items[i] for i in ordered))


def unpack_items(text: str) -> dict[int, bytes]:
    if not text.startswith(ITEMS_PREFIX):
        raise CorruptRowIds("unknown item encoding")
    raw = unsqueeze(text[len(ITEMS_PREFIX) :])
    count = int.from_bytes(raw[:4], "big")
    digests_at = len(raw) - count * DIGEST_BYTES
    if count < 0 or digests_at < 4:
        raise CorruptRowIds("truncated items")
    ids = read_delta_varints(raw[4:digests_at])
    if len(ids) != count:
        raise CorruptRowIds("item count mismatch")
    return {item_id: raw[digests_at + n * DIGEST_BYTES : digests_at + (n + 1) * DIGEST_BYTES] for n, item_id in enumerate(ids)}
