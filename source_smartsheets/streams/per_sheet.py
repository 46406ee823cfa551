"""What every stream over many selected sheets does, written once: the streams around rows, `cell_history` and a merged
stream are each one of these, and say only what they fetch of one sheet and what a record is.

- one slice (and one checkpoint) per selected sheet, each sheet's part of the state kept apart;
- in an incremental sync, a last slice that ends the parts of the sheets that left (no longer selected, deleted,
  unshared, moved out or renamed out of a rule), said in one line each;
- a saved state that does not parse is set aside whole, with a warning that says why and what it costs;
- a pass is complete when the last slice has been read: what a stream writes only then, and its closing line;
- a stream read before it was prepared is a bug, said as one.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any, ClassVar, Iterable, Mapping, Sequence

from airbyte_cdk.models import AirbyteMessage, SyncMode

from ..discovery import ObjectRef
from .base import SHEETS_THAT_LEFT, KeptState, SmartsheetStream, sheet_slices
from .context import ReadContext

logger = logging.getLogger("airbyte")


class PerSheetStream(KeptState, SmartsheetStream):
    """A stream over every selected sheet. A subclass says how its saved state parses (`parse_saved`) and what it
    takes from it (`prepared`), what it reads of one sheet (`read_sheet`), what it does with a sheet that left
    (`sheet_left`), the state it writes (`state_message`) and its closing line (`closing_line`)."""

    set_aside_means: ClassVar[str] = "every record is emitted again"  # what a saved state set aside costs

    def __init__(self, refs: Sequence[ObjectRef], context: ReadContext) -> None:
        super().__init__(context)
        self._refs = [ref for ref in refs if ref.kind == "sheet"]
        self._by_id = {ref.id: ref for ref in self._refs}
        self._state: dict[str, Any] = {}
        self._parts: dict[Any, Any] = {}  # sheet id -> what the stream keeps of it
        self._incremental = False
        self._prepared = False
        self._last_slice: Mapping[str, Any] | None = None
        self._done = Counter[str]()  # what this read did, for its closing line

    @property
    def who(self) -> str:
        """How its lines name it: `Stream comments`, `Merged stream projects (template 'Project Plan')`."""
        return self.label[:1].upper() + self.label[1:]

    # ----- the protocol, once ------------------------------------------------------------------
    def prepare(self, saved: Mapping[str, Any], sync_mode: SyncMode, declared: Mapping[str, Any] | None) -> None:
        self._incremental = sync_mode == SyncMode.incremental
        parsed = self.parse_saved(saved if self._incremental else None)
        if parsed.reason:
            logger.warning("%s: the saved state is set aside (%s); %s.", self.who, parsed.reason, self.set_aside_means)
        self._done.clear()
        self.prepared(parsed, declared)
        self._prepared = True

    def stream_slices(self, **kwargs: Any) -> Iterable[Mapping[str, Any] | None]:
        slices = sheet_slices(self._by_id, self._parts, ends_leavers=self._incremental)
        self._last_slice = slices[-1] if slices else None
        return slices

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: list[str] | None = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Mapping[str, Any] | None = None,
    ) -> Iterable[AirbyteMessage | Mapping[str, Any]]:
        if not self._prepared:
            raise RuntimeError(f"{self.who} was read before it was prepared (SmartsheetStream.prepare)")
        if stream_slice and stream_slice.get(SHEETS_THAT_LEFT):
            for key in [key for key in self._parts if key not in self._by_id]:
                logger.info(
                    "%s: sheet %s is no longer in it (no longer selected, deleted, unshared, moved out or renamed); its "
                    "part ends.",
                    self.who,
                    key,
                )
                yield from self.sheet_left(key, self._parts.pop(key))
        elif stream_slice and stream_slice.get("sheet_id") in self._by_id:
            yield from self.read_sheet(self._by_id[stream_slice["sheet_id"]])
        complete = stream_slice is not None and stream_slice == self._last_slice
        self._state = self.state_message(complete)
        line = self.closing_line() if complete else None
        if line is not None:
            logger.info("%s", line)

    def _left_as_it_was(self, why: str) -> None:
        """A sheet gone or unshared when its turn came (`why` says which): said, and its part kept as it was."""
        logger.warning("%s: %s Its part is left as it was; the other sheets go on.", self.who, why)
        self._done["skipped"] += 1

    # ----- what a stream says ------------------------------------------------------------------
    def parse_saved(self, saved: Mapping[str, Any] | None) -> Any:
        """The saved state, parsed by the stream's codec (an object with `reason`: why it was set aside, if it was)."""
        raise NotImplementedError

    def prepared(self, parsed: Any, declared: Mapping[str, Any] | None) -> None:
        """Take the parts and whatever else from the parsed state, and say what the sheets will need fetched."""
        raise NotImplementedError

    def read_sheet(self, ref: ObjectRef) -> Iterable[AirbyteMessage | Mapping[str, Any]]:
        raise NotImplementedError

    def sheet_left(self, key: Any, part: Any) -> Iterable[AirbyteMessage | Mapping[str, Any]]:
        """A sheet that left: its part is dropped already; what to emit for it (deletions), if anything."""
        return ()

    def state_message(self, complete: bool) -> dict[str, Any]:
        raise NotImplementedError

    def closing_line(self) -> object | None:
        """The line said once a pass is complete (None: none)."""
        return None
