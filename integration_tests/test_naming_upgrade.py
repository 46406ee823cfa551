"""Upgrading from 0.1.0: states saved under the old naming rule still read, and say why a sheet is read in full."""

from __future__ import annotations

import copy
from typing import Any

from integration_tests.harness import Harness

TITLES = "titulos_unicode_collisions"  # its columns 価格, Сумма and 2024 Budget were renamed in 0.2.0


def _state_message(name: str, namespace: str | None, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "STREAM",
        "stream": {"stream_descriptor": {"name": name, "namespace": namespace}, "stream_state": body},
    }


def test_given_a_0_1_0_state_whose_field_names_changed_when_read_then_full_read_with_the_reason(edge: Harness) -> None:
    catalog = edge.catalog(streams=[TITLES])
    first = edge.read(catalog)
    assert first.returncode == 0
    sheet = edge.world.sheet_named("Títulos — unicode & collisions!")
    saved = copy.deepcopy(first.stream_state(TITLES))
    saved.pop("naming")  # what 0.1.0 wrote: no naming key, and a fingerprint of the old names
    saved["columns"] = "0" * 16
    edge.world.clock.advance(60)
    run = edge.read(catalog, state=[_state_message(TITLES, "edge_cases", saved)])
    assert run.returncode == 0
    assert len(run.records(TITLES)) == len(sheet.rows)  # read in full once
    assert any("naming rule of version 0.2.0" in line for line in run.logs("WARN"))
    assert run.stream_state(TITLES)["naming"] == 2


def test_given_a_state_under_the_old_stream_name_when_read_then_warned_and_read_in_full(demo: Harness) -> None:
    catalog = demo.catalog(streams=["n_2026_marketing_budget"])
    first = demo.read(catalog)
    budget = demo.world.sheet_named("2026 Marketing Budget")
    saved = first.stream_state("n_2026_marketing_budget")
    old = _state_message("2026_marketing_budget", "acme_operations", saved)  # 0.1.0's name for the stream
    run = demo.read(catalog, state=[old])
    assert run.returncode == 0
    assert len(run.records("n_2026_marketing_budget")) == len(budget.rows)
    assert any(
        "Stream n_2026_marketing_budget: the state saved under its old name 2026_marketing_budget" in line
        for line in run.logs("WARN")
    )


def test_given_an_old_catalog_with_the_old_stream_name_when_read_then_its_rows_keep_landing_there(demo: Harness) -> None:
    """Reads follow the sheet's id (#32): the stream the catalog has for the sheet keeps its rows, and the warning says
    what a refresh makes (the old name is not one every destination keeps, so no pin is offered for it)."""
    catalog = demo.catalog(streams=["n_2026_marketing_budget"])
    first = demo.read(catalog)
    old_catalog = copy.deepcopy(catalog)
    old_catalog["streams"][0]["stream"]["name"] = "2026_marketing_budget"
    saved = first.stream_state("n_2026_marketing_budget")
    budget = demo.world.sheet_named("2026 Marketing Budget")
    demo.world.clock.advance(60)
    demo.world.update_row(budget, budget.rows[0], {"Actual": 5})
    run = demo.read(old_catalog, state=[_state_message("2026_marketing_budget", "acme_operations", saved)])
    assert run.returncode == 0
    assert [(m["stream"], m["data"]["_ss_row_id"]) for m in run.record_messages()] == [
        ("2026_marketing_budget", budget.rows[0].id)
    ]
    assert any(
        "its rows keep landing in stream 2026_marketing_budget" in line and "refresh the source schema" in line
        for line in run.logs("WARN")
    )
