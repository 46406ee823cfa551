"""A compact, lossless encoding of a sheet's row ids for the state (deletion capture).

Sorted ids, delta-encoded, as LEB128 varints, zlib-compressed, base64url: a 20,000-row sheet with ids
spread over 2**53 takes about 7 bytes per row (measured in the README), where a JSON list takes 18.
"""

from __future__ import annotations

import base64
import zlib
from typing import Iterable

PREFIX = "z1:"


class CorruptRowIds(ValueError):
    """The stored ids do not decode."""


def pack(ids: Iterable[int]) -> str:
    return PREFIX + squeeze(delta_varints(ids))


def unpack(text: str) -> list[int]:
    if not text.startswith(PREFIX):
        raise CorruptRowIds("unknown row id encoding")
    return read_delta_varints(unsqueeze(text[len(PREFIX) :]))


def delta_varints(ids: Iterable[int]) -> bytes:
    """Sorted unique ids as LEB128 varints of their differences."""
    out = bytearray()
    previous = 0
    for row_id in sorted(set(ids)):
        delta = row_id - previous
        previous = row_id
        while True:
            byte = delta & 0x7F
            delta >>= 7
            if delta:
                out.append(byte | 0x80)
            else:
                out.append(byte)
                break
    return bytes(out)


def read_delta_varints(raw: bytes) -> list[int]:
    ids: list[int] = []
    value = shift = 0
    previous = 0
    for byte in raw:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
            continue
        previous += value
        ids.append(previous)
        value = shift = 0
    if shift:
        raise CorruptRowIds("truncated ids")
    return ids


def squeeze(raw: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii")


def unsqueeze(text: str) -> bytes:
    try:
        return zlib.decompress(base64.urlsafe_b64decode(text.encode("ascii")))
    except (ValueError, zlib.error) as error:
        raise CorruptRowIds(str(error)) from None
