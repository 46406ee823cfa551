"""One envelope for every state codec (`state/envelope.py`) and one rule for whole numbers (`whole_numbers.py`)."""

from __future__ import annotations

import pytest

from source_smartsheets.state.around_rows import parse_around_rows_state
from source_smartsheets.state.cell_history import parse_cell_history_state
from source_smartsheets.state.cursor import parse_state
from source_smartsheets.state.envelope import STATE_VERSION, open_state, sealed
from source_smartsheets.whole_numbers import id_number, whole_int


@pytest.mark.parametrize(
    ("raw", "shape_key", "reason"),
    [
        pytest.param(None, None, None, id="nothing saved"),
        pytest.param({}, "sheets", None, id="an empty state"),
        pytest.param([1], None, "the state is not an object", id="a list"),
        pytest.param({"state_version": 2, "sheets": {}}, "sheets", "state_version 2 is not one this connector writes", id="v2"),
        pytest.param(
            {"state_version": "1", "sheets": {}}, "sheets", "state_version '1' is not one this connector writes", id="text"
        ),
        pytest.param({"sheet_id": 5}, "sheets", "it is not a state this stream writes", id="another codec's"),
        pytest.param({"sheets": []}, "sheets", "it is not a state this stream writes", id="sheets not an object"),
        pytest.param({"sheets": {}}, "sheets", None, id="no version: 1 (the first states had none)"),
        pytest.param({"state_version": 1, "sheet_id": 5}, None, None, id="a row stream's"),
    ],
)
def test_a_saved_state_is_opened_or_set_aside_with_its_reason(raw, shape_key, reason) -> None:
    opened = open_state(raw, shape_key)
    assert opened.reason == reason
    assert (opened.body is not None) == (bool(raw) and reason is None)


@pytest.mark.parametrize(
    "parse",
    [
        pytest.param(lambda raw: parse_state(raw, 5).reason, id="row stream"),
        pytest.param(lambda raw: parse_around_rows_state(raw).reason, id="around rows"),
        pytest.param(lambda raw: parse_cell_history_state(raw).reason, id="cell history"),
    ],
)
def test_every_codec_sets_another_version_aside_in_the_same_words(parse) -> None:
    assert parse({"state_version": 9, "sheet_id": 5, "sheets": {}}) == "state_version 9 is not one this connector writes"
    assert parse([]) is None  # nothing saved
    assert parse("text") == "the state is not an object"


def test_every_codec_writes_the_envelope() -> None:
    assert sealed({"sheets": {}}) == {"state_version": STATE_VERSION, "sheets": {}}
    assert parse_state({"sheet_id": 5}, 5).state.to_message()["state_version"] == STATE_VERSION  # type: ignore[union-attr]
    assert parse_around_rows_state({"sheets": {}}).to_message()["state_version"] == STATE_VERSION
    assert parse_cell_history_state({"sheets": {}}).to_message()["state_version"] == STATE_VERSION


@pytest.mark.parametrize(
    ("value", "whole", "as_id"),
    [
        (17, 17, 17),
        (0, 0, 0),
        (-3, -3, -3),
        (True, None, None),
        (False, None, None),
        (1.0, None, None),
        ("17", None, 17),
        ("4583173393803140", None, 4583173393803140),
        ("-17", None, None),
        ("١٧", None, None),  # Arabic-Indic digits are digits to str.isdigit, not an id
        ("12ab", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_whole_numbers_and_ids(value, whole, as_id) -> None:
    assert whole_int(value) == whole
    assert id_number(value) == as_id
