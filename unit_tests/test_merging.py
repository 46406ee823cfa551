"""Merged streams, their pure parts: which sheets a rule merges, the union of their schemas, and the text a
widened field holds."""

from __future__ import annotations

from typing import Any

import pytest

from source_smartsheets.config import ConfigError, MergeRule, parse_config
from source_smartsheets.merging import SheetFacts, merge_groups
from source_smartsheets.schema_mapping.merged_fields import union_properties
from source_smartsheets.schema_mapping.naming import MAX_LENGTH, unique_names
from source_smartsheets.schema_mapping.types import KINDS, fit_declared

STRING = {"type": ["null", "string"]}
NUMBER = {"type": ["null", "number"]}
INTEGER = {"type": ["null", "integer"]}
DATE = {"type": ["null", "string"], "format": "date"}
BOOLEAN = {"type": ["null", "boolean"]}
CONTACT = {"type": ["null", "object"], "properties": {"email": STRING}}


# ----- the union of schemas --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("per_sheet", "expected_type", "widened"),
    [
        ([STRING, STRING], ["null", "string"], False),
        ([{**DATE, "title": "Due"}, {**DATE, "title": "due"}], ["null", "string"], False),  # titles may differ
        ([INTEGER, NUMBER], ["null", "number"], False),
        ([BOOLEAN, STRING], ["null", "string"], True),
        ([DATE, STRING, DATE], ["null", "string"], True),
        ([CONTACT, STRING], ["null", "string"], True),
        ([NUMBER, DATE], ["null", "string"], True),
    ],
    ids=[
        "same",
        "same type, other titles",
        "integer and number",
        "boolean and text",
        "date and text",
        "contact and text",
        "number and date",
    ],
)
def test_a_field_whose_type_differs_between_sheets_is_widened(per_sheet, expected_type, widened) -> None:
    union = union_properties(
        [{"field": {**schema, "title": "Field"} if "title" not in schema else schema} for schema in per_sheet]
    )
    assert union["field"]["type"] == expected_type
    assert ("differs between the merged sheets" in union["field"].get("description", "")) is widened
    assert union["field"].get("format") == (None if widened else per_sheet[0].get("format"))


def test_the_union_keeps_every_field_in_order_of_first_appearance_and_says_which_types_met() -> None:
    union = union_properties([{"a": STRING, "done": BOOLEAN}, {"a": STRING, "done": BOOLEAN, "risk": STRING}, {"done": STRING}])
    assert list(union) == ["a", "done", "risk"]
    assert "boolean in 2, string in 1" in union["done"]["description"]


# ----- which sheets a rule merges ---------------------------------------------------------------------------
T1, T2, PMO, SUB, WS = 100, 200, 300, 310, 400
SHEETS = [
    SheetFacts(1, "Project Apollo", source=T1, folders=(PMO,), workspace_id=WS),
    SheetFacts(2, "Project Borealis", source=T1, folders=(PMO, SUB), workspace_id=WS),
    SheetFacts(3, "Budget", source=T2, folders=(), workspace_id=WS),
    SheetFacts(4, "Project Notes", source=None, folders=(PMO,), workspace_id=WS),
    SheetFacts(5, "Loose sheet", source=T1),  # listed by ID: in no folder or workspace
]
NAMES = {T1: "Project Plan Template", T2: "Budget Template", PMO: "PMO", SUB: "Archive", WS: "Acme Operations"}


def _rule(by: str, value: str | None = None, name: str | None = None) -> MergeRule:
    return MergeRule(by=by, value=value, name=name)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ([_rule("template")], {"project_plan_template": (1, 2, 5)}),  # Budget alone keeps its own stream
        ([_rule("template", str(T2))], {"budget_template": (3,)}),
        ([_rule("template", name="Project Tasks")], {"project_tasks": (1, 2, 5)}),
        ([_rule("folder", str(PMO))], {"pmo": (1, 2, 4)}),  # through subfolders; a sheet listed by ID is in none
        ([_rule("folder", str(SUB))], {"archive": (2,)}),
        ([_rule("workspace", str(WS))], {"acme_operations": (1, 2, 3, 4)}),
        ([_rule("pattern", "^Project ")], {"project": (1, 2, 4)}),
        (
            [_rule("pattern", "^Project ", "projects"), _rule("template")],
            {"projects": (1, 2, 4)},  # what the pattern leaves of the template's sheets is one sheet: its own stream
        ),
        ([_rule("folder", "999")], {}),
    ],
    ids=[
        "each template",
        "one template",
        "a given name",
        "a folder",
        "a subfolder",
        "a workspace",
        "a pattern",
        "first rule wins",
        "no match",
    ],
)
def test_a_sheet_goes_to_the_first_rule_it_matches(rules, expected) -> None:
    groups = merge_groups(SHEETS, rules, NAMES)
    names = unique_names([group.base_name for group in groups], ())
    assert dict(zip(names, (group.member_ids for group in groups), strict=True)) == expected


def test_a_template_the_token_cannot_see_names_its_stream_by_id() -> None:
    (group,) = merge_groups(SHEETS[:2], [_rule("template")], {})
    assert (group.base_name, group.label) == (f"template_{T1}", f"template {T1}")


# A workspace as #24 found it: projects from one template, a copy ("Save as New") of one of them, a sheet from a
# Solution Center template (not among the user's templates: no name), and two copies of the budget.
SOLUTION_CENTER = 999
MIXED = [
    SheetFacts(1, "Project Apollo", source=T1, source_kind="template"),
    SheetFacts(2, "Website Relaunch", source=T1, source_kind="template"),
    SheetFacts(3, "Website Relaunch (copy)", source=2, source_kind="sheet"),
    SheetFacts(4, "Event Plan", source=SOLUTION_CENTER, source_kind="template"),
    SheetFacts(5, "Budget", source=None),
    SheetFacts(6, "Budget Q1", source=5, source_kind="sheet"),
    SheetFacts(7, "Budget Q2", source=5, source_kind="sheet"),
]
MIXED_NAMES = {T1: "Project Template", 2: "Website Relaunch", 5: "Budget"}


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ([_rule("template")], {"project_template": (1, 2), "copies_of_budget": (6, 7)}),
        ([_rule("template", "2")], {"copies_of_website_relaunch": (3,)}),  # a value: exactly what it names, even one sheet
        ([_rule("template", str(SOLUTION_CENTER))], {f"template_{SOLUTION_CENTER}": (4,)}),
        (
            [_rule("template"), _rule("pattern", "^Website")],
            {"project_template": (1, 2), "copies_of_budget": (6, 7), "website": (3,)},
        ),
    ],
    ids=["without a value", "one source sheet by id", "one unnamed template by id", "a sheet alone goes on to the next rule"],
)
def test_given_sheets_of_mixed_sources_when_merged_by_template_then_only_shared_sources_merge_and_names_say_what_they_hold(
    rules, expected
) -> None:
    groups = merge_groups(MIXED, rules, MIXED_NAMES)
    assert {group.base_name: group.member_ids for group in groups} == expected
    labels = {group.base_name: group.label for group in groups}
    if "copies_of_budget" in labels:
        assert labels["copies_of_budget"] == "copies of sheet 'Budget'"


def test_unique_names_step_around_names_already_taken() -> None:
    assert unique_names(["tasks", "tasks", "sheets"], {"tasks", "sheets"}) == ["tasks_2", "tasks_3", "sheets_2"]


def test_given_a_merged_name_of_the_full_length_when_it_collides_then_its_suffix_fits_within_the_real_limit() -> None:
    # 0.3.0 cut merged names at 60 characters before a suffix, though the limit is 63 (the bug #23 named).
    long = "p" * MAX_LENGTH
    assert unique_names([long], {long}) == ["p" * (MAX_LENGTH - 2) + "_2"]


# ----- what a widened field holds ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "cell", "text"),
    [
        ("CHECKBOX", {"value": True}, "true"),
        ("CHECKBOX", {}, None),
        ("CONTACT_LIST", {"value": "a@b.c", "displayValue": "Ana"}, '{"email":"a@b.c","name":"Ana"}'),
        ("MULTI_PICKLIST", {"objectValue": {"objectType": "MULTI_PICKLIST", "values": ["x", "y"]}}, '["x","y"]'),
        ("DATE", {"value": "2026-01-05"}, "2026-01-05"),
        ("PICKLIST", {"value": "High"}, "High"),
    ],
)
def test_a_value_in_a_field_widened_to_text_is_its_text(kind, cell, text) -> None:
    fitted = fit_declared(KINDS[kind], STRING)
    assert fitted.convert(cell)[0] == text
    assert fitted.schema["type"] == ["null", "string"]


@pytest.mark.parametrize("declared", [DATE, BOOLEAN, NUMBER])
def test_a_field_the_catalog_declares_as_the_column_is_left_as_it_is(declared) -> None:
    kind = {"format": "DATE", "boolean": "CHECKBOX", "number": "TEXT_NUMBER"}
    name = kind["format"] if declared.get("format") else kind[declared["type"][1]]
    assert fit_declared(KINDS[name], declared) is KINDS[name]


# ----- the rules in the config -----------------------------------------------------------------------------
BASE: dict[str, Any] = {"credentials": {"auth_type": "access_token", "access_token": "x"}, "sheet_ids": [1]}


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([{"by": "folder"}], "a rule by folder needs the folder's ID as its value"),
        ([{"by": "workspace", "value": "abc"}], "'abc' is not a Smartsheet ID"),
        ([{"by": "pattern"}], "a rule by pattern needs a regular expression"),
        ([{"by": "pattern", "value": "("}], "is not a valid regular expression"),
        ([{"by": "sheet"}], "merge_streams.0.by must be one of 'template', 'folder', 'workspace' or 'pattern'; got 'sheet'."),
        ([{"by": "template", "names": "x"}], "Unknown setting 'merge_streams.0.names': did you mean 'merge_streams.0.name'?"),
        ([{"by": "template", "colour": "x"}], "merge_streams.0.colour is not a setting this connector knows."),
        ({"by": "template"}, "merge_streams must be a list."),
    ],
)
def test_a_rule_that_cannot_work_is_a_config_error_that_says_why(rules, message) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config({**BASE, "merge_streams": rules})
    assert message in raised.value.message


def test_rules_are_cleaned() -> None:
    config = parse_config({**BASE, "merge_streams": [{"by": "folder", "value": " 300 "}, {"by": "template", "value": ""}]})
    assert [(rule.by, rule.value, rule.id) for rule in config.merge_streams] == [("folder", "300", 300), ("template", None, None)]
