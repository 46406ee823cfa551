"""The one envelope of every state this connector writes (a row stream's, a merged stream's, a stream around rows',
cell history's): `state_version` beside the codec's own keys. Opening a saved state checks the envelope once for every
codec: a state that is not an object, of another version, or without the key its codec's shape has, is set aside with
the reason (a warning), never misread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

STATE_VERSION = 1


@dataclass(frozen=True)
class Opened:
    """A saved state's body (None: nothing saved, or set aside) and why it was set aside, if it was."""

    body: Mapping[str, Any] | None
    reason: str | None = None


def open_state(raw: Any, shape_key: str | None = None) -> Opened:
    """The body of a saved state, or the reason it is set aside; `shape_key`: the key whose object every state of the
    codec has (`sheets`)."""
    if not raw:
        return Opened(None)
    if not isinstance(raw, Mapping):
        return Opened(None, "the state is not an object")
    version = raw.get("state_version", STATE_VERSION)
    if version != STATE_VERSION:
        return Opened(None, f"state_version {version!r} is not one this connector writes")
    if shape_key is not None and not isinstance(raw.get(shape_key), Mapping):
        return Opened(None, "it is not a state this stream writes")
    return Opened(raw)


def sealed(body: Mapping[str, Any]) -> dict[str, Any]:
    """A state to write: the envelope first, then the codec's keys."""
    return {"state_version": STATE_VERSION, **body}
