"""#31: streams do not coordinate through the order they are prepared in. Every stream says what it needs when it is
prepared, and what is fetched is decided once all have said it: a catalog in any order gives the same records, the
same state and the same requests."""

from __future__ import annotations

import json
import random

import pytest

ORDERS = ["as discovered", "reversed", "shuffled"]


def _reordered(streams: list, order: str) -> list:
    if order == "reversed":
        return list(reversed(streams))
    if order == "shuffled":
        shuffled = list(streams)
        random.Random(31).shuffle(shuffled)
        return shuffled
    return list(streams)


@pytest.mark.parametrize("sync_mode", ["full_refresh", "incremental"])
def test_a_catalog_in_any_order_gives_the_same_records_state_and_requests(world_harness, sync_mode) -> None:
    seen = {}
    for order in ORDERS:
        harness = world_harness("demo")  # the same world afresh for each order
        config = harness.config(cell_history_columns=["Status"], merge_streams=[{"by": "template"}])
        catalog = harness.catalog(sync_mode, config=config, around_rows=True)
        harness.stats.reset()
        run = harness.read({"streams": _reordered(catalog["streams"], order)}, config=config)
        assert run.returncode == 0, run.stderr[-3000:]
        records = sorted(json.dumps([m["stream"], m["data"]], sort_keys=True) for m in run.record_messages())
        states = sorted(json.dumps(state, sort_keys=True) for state in run.final_states())
        requests = harness.stats.snapshot()["by_endpoint"]
        seen[order] = (records, states, requests)
    first = seen[ORDERS[0]]
    assert len(first[0]) > 100 and first[2]  # records of every kind, and requests made
    for order in ORDERS[1:]:
        assert seen[order][0] == first[0], f"{order}: other records"
        assert seen[order][1] == first[1], f"{order}: another state"
        assert seen[order][2] == first[2], f"{order}: other requests"
