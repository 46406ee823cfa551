"""The naming rule, from a table of tricky titles."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
from airbyte_cdk.sql._util.name_normalizers import LowerCaseNormalizer

from source_smartsheets.schema_mapping.naming import MAX_LENGTH, field_names, sanitize, stream_names
from source_smartsheets.streams.registry import AROUND_ROWS_NAMES


@pytest.mark.parametrize(
    "title, expected",
    [
        # Latin, punctuation, spacing
        ("Due Date", "due_date"),
        ("due_date", "due_date"),
        ("Due  Date", "due_date"),
        ("due-date", "due_date"),
        ("  Leading and trailing  ", "leading_and_trailing"),
        ("% Complete", "complete"),
        ("Größe (cm)", "grosse_cm"),
        ("Café Crème", "cafe_creme"),
        ("Ñandú", "nandu"),
        ("Łódź Øresund Æther", "lodz_oresund_aether"),
        ("e\u0301te\u0301", "ete"),  # combining accents
        ("a/b\\c.d:e", "a_b_c_d_e"),
        ("Tab\tNew\nLine", "tab_new_line"),
        ("modifiedAt", "modifiedat"),
        # CJK, kana, Hangul: each Chinese character and Hangul syllable its own word
        ("名前", "ming_qian"),
        ("担当者", "dan_dang_zhe"),
        ("価格", "si_ge"),
        ("价格表", "jia_ge_biao"),
        ("担当者の名前", "dan_dang_zhe_no_ming_qian"),
        ("テスト", "tesuto"),
        ("ひらがな", "hiragana"),
        ("진행 상태", "jin_haeng_sang_tae"),
        ("Ming Qian", "ming_qian"),
        # Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai
        ("Сумма", "summa"),
        ("Йогурт", "yogurt"),
        ("Ελληνικά", "ellinika"),
        ("السعر", "ls_r"),
        ("מחיר", "mhyr"),
        ("कीमत", "kimt"),
        ("ราคา", "rakha"),
        # emoji, symbols, invisible marks
        ("Emoji 🚀 launch", "emoji_launch"),
        ("✅ Done", "done"),
        ("€ Preis", "preis"),
        ("\u200fRTL mark", "rtl_mark"),
        ("Zero\u200dwidth", "zerowidth"),
        ("👩\u200d💻 Owner", "owner"),
        # digits first, reserved-looking, nothing left
        ("2024 Budget", "n_2024_budget"),
        ("2026 Marketing Budget", "n_2026_marketing_budget"),
        ("１２３ full width", "n_123_full_width"),
        ("_ss_row_id", "ss_row_id"),
        ("_ab_cdc_deleted_at", "ab_cdc_deleted_at"),
        ("__private__", "private"),
        ("???", ""),
        ("#", ""),
        ("🚀🚀", ""),
        ("", ""),
    ],
)
def test_given_title_when_sanitized_then_rule_applies(title: str, expected: str) -> None:
    assert sanitize(title) == expected


@pytest.mark.parametrize("title", ["word " * 40, "x" * 200, "価" * 200, "9" * 200, "Ω" * 200])
def test_given_200_character_title_when_sanitized_then_at_most_63_without_trailing_underscore(title: str) -> None:
    name = sanitize(title)
    assert 0 < len(name) <= MAX_LENGTH == 63
    assert not name.endswith("_")


def test_given_long_titles_that_collide_when_named_then_suffixes_fit_in_63() -> None:
    names = field_names([(index, "a" * 200) for index in range(12)])
    assert len(set(names)) == 12 and all(len(name) <= 63 for name in names)
    assert names[11].endswith("_12")
    streams = stream_names([(7_000_000_000_000_001, "b" * 200), (7_000_000_000_000_002, "b" * 200)])
    assert all(len(name) <= 63 for name in streams.values()) and len(set(streams.values())) == 2


def test_given_a_transliteration_that_collides_when_named_then_suffix_rule_applies() -> None:
    assert field_names([(1, "名前"), (2, "Ming Qian")]) == ["ming_qian", "ming_qian_2"]


def _standard_destination_name(name: str) -> str:
    """Airbyte's warehouse destinations (StandardNameTransformer): ASCII only, `[^A-Za-z0-9_]` -> `_`,
    a leading digit gets `_`. Re-stated here to check our names pass through it unchanged."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return "_" + text if text[:1].isdigit() else text


def _generated_titles(rng: random.Random, count: int) -> list[str]:
    alphabet = "aZ9 _-%#./()€✅🚀ßéØ名前価格진행상태СуммаΕλληνικάالسعرמחירकीमतราคาテスト\u200d\u200f\u0301１２"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 90))) for _ in range(count)]


def test_every_name_is_a_fixed_point_of_pyairbyte_and_the_destinations() -> None:
    titles = _generated_titles(random.Random(13), 3000)
    names = field_names(list(enumerate(titles))) + list(stream_names(enumerate(titles)).values())
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9_]{0,62}", name), name
        assert LowerCaseNormalizer.normalize(name) == name
        assert _standard_destination_name(name) == name


def test_given_titles_that_sanitize_alike_when_named_then_sheet_order_decides_suffixes() -> None:
    columns = [(1, "Due Date"), (2, "due_date"), (3, "Due  Date"), (4, "due-date")]
    assert field_names(columns) == ["due_date", "due_date_2", "due_date_3", "due_date_4"]


def test_given_a_title_equal_to_a_suffix_when_named_then_no_collision() -> None:
    columns = [(1, "Due Date"), (2, "due date"), (3, "due_date_2")]
    names = field_names(columns)
    assert names == ["due_date", "due_date_3", "due_date_2"]
    assert len(set(names)) == 3


def test_given_titles_with_nothing_left_when_named_then_column_id_is_used() -> None:
    assert field_names([(77, "???"), (78, "#")]) == ["column_77", "column_78"]


def test_given_connector_field_titles_when_named_then_they_never_take_the_reserved_form() -> None:
    names = field_names([(1, "_ss_row_id"), (2, "_ab_cdc_deleted_at"), (3, "modifiedAt")])
    assert all(not name.startswith("_") for name in names)


def test_given_thousands_of_alike_titles_when_named_then_all_unique_and_fast() -> None:
    columns = [(index, "Same Title" if index % 2 else "same-title") for index in range(3000)]
    names = field_names(columns)
    assert len(set(names)) == 3000


def test_given_same_sheet_twice_when_named_then_names_are_stable() -> None:
    columns = [(5, "Status"), (6, "Owner"), (7, "status")]
    assert field_names(columns) == field_names(list(columns))


def test_given_two_sheets_with_one_name_when_streams_named_then_smallest_id_keeps_the_name() -> None:
    names = stream_names([(30, "Tasks"), (10, "Tasks"), (20, "Other")])
    assert names == {10: "tasks", 30: "tasks_30", 20: "other"}


def test_given_a_sheet_name_with_nothing_left_when_streams_named_then_sheet_id_is_used() -> None:
    assert stream_names([(99, "!!!")]) == {99: "sheet_99"}


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        ([(10, "Comments")], {10: "comments_10"}),  # the connector's own stream keeps its name
        ([(10, "Sheets"), (5, "sheets")], {10: "sheets_10", 5: "sheets_5"}),
        ([(10, "Sheet Summaries 2")], {10: "sheet_summaries_2"}),  # only the exact names are taken
    ],
)
def test_a_sheet_named_like_one_of_the_connectors_own_streams_gets_its_id(sheets, expected) -> None:
    assert stream_names(sheets, reserved=AROUND_ROWS_NAMES) == expected
