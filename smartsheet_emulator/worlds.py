"""Deterministic sample accounts: `demo`, `edge`, `large` and `many` (described in the README)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, Callable

from .clock import Clock, utc
from .model import Cell, Contact, Duration, Predecessor, Row, Sheet
from .world import World

PEOPLE = [
    Contact("Ana Souza", "ana.souza@example.com"),
    Contact("Bjørn Larsen", "bjorn.larsen@example.com"),
    Contact("Chen Wei", "chen.wei@example.com"),
    Contact("Dana Whitfield", "dana.whitfield@example.com"),
    Contact("Emeka Obi", "emeka.obi@example.com"),
]


def _day(offset: int) -> str:
    return (date(2026, 1, 5) + timedelta(days=offset)).isoformat()


def build_demo(clock: Clock | None = None) -> World:
    """A small workspace a newcomer recognises: a project plan, a budget and an issue tracker."""
    world = World("demo", seed=11, clock=clock)
    ws = world.add_workspace("Acme Operations")
    projects = world.add_folder("Projects", ws)
    finance = world.add_folder("Finance", ws)
    _demo_plan(world, projects)
    _demo_budget(world, finance)
    _demo_tracker(world, ws)
    _demo_around_rows(world)
    _demo_projects(world, ws)
    _demo_account(world, ws)
    return world


def _demo_account(world: World, ws: Any) -> None:
    """The account around the sheets: the team as users, a group, shares and a dashboard over the sheets."""
    team = [world.add_user(person.email or "", *person.name.split(" ", 1)) for person in PEOPLE]
    marketing = world.add_group("Marketing", team[:3])
    world.share(ws, marketing, "EDITOR")
    plan = world.sheet_named("Website Relaunch Plan")
    tracker = world.sheet_named("Support Issue Tracker")
    world.share(plan, team[3], "EDITOR_SHARE")
    world.share(tracker, team[4], "VIEWER")
    world.add_dashboard(
        "Operations Overview",
        [("SHEETSUMMARY", "Relaunch status", plan), ("GRID", "Open issues", tracker), ("RICHTEXT", "Read me", None)],
    )


PROJECTS = ("Project Apollo", "Project Borealis", "Project Cascade", "Project Delta", "Project Everest")


def _demo_projects(world: World, ws: Any) -> None:
    """The PMO's project sheets, all made from one template: Delta has an extra `Risk` column, and Everest's
    `Done` is a picklist where the others' is a checkbox. Each has the same summary as the other demo sheets."""
    template = world.add_template("Project Plan Template", ws)
    pmo = world.add_folder("PMO", ws)
    c = world.column
    for number, name in enumerate(PROJECTS):
        done = c("Done", "PICKLIST", options=["Yes", "No"]) if name == "Project Everest" else c("Done", "CHECKBOX")
        columns = [c("Task"), c("Owner", "CONTACT_LIST"), c("Due", "DATE"), done, c("Hours")]
        if name == "Project Delta":
            columns.append(c("Risk", "PICKLIST", options=["Low", "Medium", "High"]))
        sheet = world.add_sheet(name, columns, pmo, source=template)
        for step, task in enumerate(("Kick-off", "Design", "Build", "Launch")[: 3 + number % 2]):
            world.clock.advance(37)
            finished = step < 1 + number % 3
            values: dict[str, Any] = {
                "Task": task,
                "Owner": PEOPLE[(number + step) % len(PEOPLE)],
                "Due": _day(14 * (step + 1) + number),
                "Done": ("Yes" if finished else "No") if name == "Project Everest" else finished,
                "Hours": 8 * (step + 1) + number,
            }
            if name == "Project Delta":
                values["Risk"] = ["Low", "Medium", "High"][step % 3]
            world.add_row(sheet, values)
        world.add_summary_field(
            sheet, "Status", "PICKLIST", ["On Track", "At Risk"][number % 2], options=["On Track", "At Risk", "Off Track"]
        )
        world.add_summary_field(sheet, "Owner", "CONTACT_LIST", PEOPLE[number % len(PEOPLE)])
        world.add_summary_field(sheet, "Budget", "TEXT_NUMBER", 20000 + 5000 * number)
        world.add_summary_field(sheet, "% Complete", "TEXT_NUMBER", round(0.2 * (number + 1), 2))
        world.add_summary_field(sheet, "Go-live", "DATE", _day(60 + 10 * number))


def _demo_around_rows(world: World) -> None:
    """What the demo team keeps around its rows: summaries with the same titles on every sheet (the tracker's
    `Budget` is text, the others' a number), discussions on rows and sheets, comments, files and links."""
    plan = world.sheet_named("Website Relaunch Plan")
    budget = world.sheet_named("2026 Marketing Budget")
    tracker = world.sheet_named("Support Issue Tracker")
    world.clock.advance(3600)
    for sheet, status, owner, money, complete, live in (
        (plan, "On Track", PEOPLE[0], 48000, 0.35, _day(40)),
        (budget, "At Risk", PEOPLE[1], 120000, 0.5, _day(360)),
        (tracker, "On Track", PEOPLE[2], "n/a (support)", 0.8, _day(30)),
    ):
        world.add_summary_field(sheet, "Status", "PICKLIST", status, options=["On Track", "At Risk", "Off Track"])
        world.add_summary_field(sheet, "Owner", "CONTACT_LIST", owner)
        world.add_summary_field(sheet, "Budget", "TEXT_NUMBER", money)
        world.add_summary_field(sheet, "% Complete", "TEXT_NUMBER", complete)
        world.add_summary_field(sheet, "Go-live", "DATE", live)
    world.clock.advance(600)
    kickoff = world.add_discussion(plan, "Kick-off notes are in the attached deck.")
    world.add_attachment(plan, "kickoff.pdf", kickoff.comments[0], mime_type="application/pdf", size_in_kb=812)
    wireframes = plan.rows[4]
    review = world.add_discussion(plan, "Can we move the wireframe review to Thursday?", row=wireframes)
    world.clock.advance(300)
    world.add_comment(plan, review, "Thursday works; I'll send the invite.")
    world.add_attachment(plan, "wireframes-v2.fig", wireframes, mime_type="application/octet-stream", size_in_kb=5400)
    world.add_attachment(plan, "Brand guidelines", plan, "LINK", url="https://example.com/brand")
    world.add_discussion(budget, "Q2 events budget needs sign-off before March.", row=budget.rows[1])
    world.add_attachment(budget, "invoice-0142.pdf", budget.rows[1], mime_type="application/pdf", size_in_kb=96)
    world.add_discussion(tracker, "Customer confirmed the fix works.", row=tracker.rows[0])


def _demo_plan(world: World, folder: Any) -> None:
    c = world.column
    sheet = world.add_sheet(
        "Website Relaunch Plan",
        [
            c("Task Name"),
            c("Assigned To", "CONTACT_LIST"),
            c("Start", "DATE"),
            c("Finish", "DATE"),
            c("Duration", "DURATION"),
            c("Predecessors", "PREDECESSOR"),
            c("% Complete"),
            c("Done", "CHECKBOX"),
            c("Status", "PICKLIST", options=["Not Started", "In Progress", "Complete"]),
        ],
        folder,
    )
    phases = [
        ("Discovery", [("Stakeholder interviews", 3, 1.0), ("Analytics review", 2, 1.0)]),
        ("Design", [("Wireframes", 5, 0.6), ("Visual design", 8, 0.2)]),
        ("Build", [("Front-end build", 10, 0.0), ("Content migration", 6, 0.0), ("QA pass", 4, 0.0)]),
        ("Launch", [("Go-live", 1, 0.0)]),
    ]
    start = 0
    previous: Row | None = None
    for phase_index, (phase, tasks) in enumerate(phases):
        parent = world.add_row(sheet, {"Task Name": phase, "Status": "In Progress" if phase_index < 2 else "Not Started"})
        for task_index, (task, days, complete) in enumerate(tasks):
            world.clock.advance(37)
            values: dict[str, Any] = {
                "Task Name": task,
                "Assigned To": PEOPLE[(phase_index + task_index) % len(PEOPLE)],
                "Start": _day(start),
                "Finish": _day(start + days),
                "Duration": Duration(days=days),
                "% Complete": complete,
                "Done": complete == 1.0,
                "Status": "Complete" if complete == 1.0 else ("In Progress" if complete else "Not Started"),
            }
            if previous is not None:
                values["Predecessors"] = [Predecessor(previous.id, "FS", Duration(days=1) if task_index == 0 else None)]
            previous = world.add_row(sheet, values, parent=parent)
            start += days


def _demo_budget(world: World, folder: Any) -> None:
    c = world.column
    sheet = world.add_sheet(
        "2026 Marketing Budget",
        [
            c("Line Item"),
            c("Category", "PICKLIST", options=["Events", "Advertising", "Content", "Tools"]),
            c("Quarter", "PICKLIST", options=["Q1", "Q2", "Q3", "Q4"]),
            c("Planned"),
            c("Actual"),
            c("Invoice Date", "DATE"),
            c("Approved", "CHECKBOX"),
            c("Owner", "CONTACT_LIST"),
        ],
        folder,
    )
    items = [
        ("Trade show booth", "Events", "Q1", 12000, 11850.5, True),
        ("Search ads", "Advertising", "Q1", 8000, 8421.13, True),
        ("Case study videos", "Content", "Q2", 6500, 0, False),
        ("Analytics licence", "Tools", "Q1", 2400, 2400, True),
        ("Partner webinar", "Events", "Q2", 1500, None, False),
        ("Social campaign", "Advertising", "Q3", 9000, None, False),
    ]
    for index, (item, category, quarter, planned, actual, approved) in enumerate(items):
        world.clock.advance(61)
        values: dict[str, Any] = {
            "Line Item": item,
            "Category": category,
            "Quarter": quarter,
            "Planned": planned,
            "Approved": approved,
            "Owner": PEOPLE[index % len(PEOPLE)],
        }
        if actual is not None:
            values["Actual"] = actual
            values["Invoice Date"] = _day(7 * index)
        world.add_row(sheet, values)


def _demo_tracker(world: World, folder: Any) -> None:
    c = world.column
    sheet = world.add_sheet(
        "Support Issue Tracker",
        [
            c("Issue ID", "AUTO_NUMBER", auto_number_format={"prefix": "SUP-", "fill": "0000", "suffix": ""}),
            c("Summary", primary=True),
            c("Priority", "PICKLIST", options=["P1", "P2", "P3"]),
            c("Labels", "MULTI_PICKLIST", options=["billing", "login", "mobile", "performance"]),
            c("Reporter", "CONTACT_LIST"),
            c("Watchers", "MULTI_CONTACT_LIST"),
            c("Opened", "DATETIME"),
            c("Resolved", "CHECKBOX"),
            c("Created", "CREATED_DATE"),
            c("Modified By", "MODIFIED_BY"),
        ],
        folder,
    )
    issues = [
        ("Invoice PDF shows wrong VAT", "P1", ["billing"], True),
        ("Password reset email delayed", "P2", ["login", "performance"], False),
        ("App crashes on rotate", "P1", ["mobile"], False),
        ("Dashboard slow for large teams", "P3", ["performance"], False),
    ]
    for index, (summary, priority, labels, resolved) in enumerate(issues):
        world.clock.advance(95)
        world.add_row(
            sheet,
            {
                "Summary": summary,
                "Priority": priority,
                "Labels": labels,
                "Reporter": PEOPLE[index],
                "Watchers": [PEOPLE[(index + 1) % 5], PEOPLE[(index + 2) % 5]],
                "Opened": f"2026-01-0{index + 2}T1{index}:30:00Z",
                "Resolved": resolved,
            },
        )


def apply_demo_edits(world: World, day: int) -> list[str]:
    """What the demo team changes on day `day` (1, 2, ...) after the first sync; returns what changed."""
    world.clock.advance(86400)
    plan = world.sheet_named("Website Relaunch Plan")
    budget = world.sheet_named("2026 Marketing Budget")
    tracker = world.sheet_named("Support Issue Tracker")
    tasks = [row for row in plan.rows if row.parent_id is not None]
    status = plan.column_by_title("Status").id
    open_tasks = [row for row in tasks if row.cells.get(status) != "Complete"]  # its Status history gets an entry
    task = open_tasks[0] if open_tasks else tasks[(day - 1) % len(tasks)]
    world.update_row(plan, task, {"% Complete": 1.0, "Done": True, "Status": "Complete"})
    line = budget.rows[(day - 1) % len(budget.rows)]
    world.update_row(budget, line, {"Actual": 1000.0 + 250.0 * day, "Invoice Date": _day(30 + day)})
    world.add_row(
        tracker,
        {"Summary": f"Customer report #{day}", "Priority": "P2", "Labels": ["mobile"], "Reporter": PEOPLE[day % 5]},
    )
    return [
        "Website Relaunch Plan: one task marked complete",
        "2026 Marketing Budget: one actual amount updated",
        "Support Issue Tracker: one new issue",
    ]


EDGE_TEXT = "Ω" + "x" * 3998 + "!"  # 4,000 characters, the cap on cell text


def build_edge(clock: Clock | None = None) -> World:
    """Every column type and system column, and the data that breaks naive connectors."""
    world = World("edge", seed=22, clock=clock)
    ws = world.add_workspace("Edge Cases")
    c = world.column
    types = world.add_sheet(
        "Every Column Type",
        [
            c("Name"),
            c("Number"),
            c("Date", "DATE"),
            c("Date Time", "DATETIME"),
            c("Abstract Date Time", "ABSTRACT_DATETIME"),
            c("Checkbox", "CHECKBOX"),
            c("Picklist", "PICKLIST", options=["Red", "Green", "7"]),
            c("Multi Picklist", "MULTI_PICKLIST", options=["a", "b", "c"]),
            c("Contact", "CONTACT_LIST"),
            c("Multi Contact", "MULTI_CONTACT_LIST"),
            c("Duration", "DURATION"),
            c("Predecessors", "PREDECESSOR"),
            c("Auto", "AUTO_NUMBER", auto_number_format={"prefix": "E-", "fill": "000", "suffix": "-X"}),
            c("Created", "CREATED_DATE"),
            c("Modified", "MODIFIED_DATE"),
            c("Created By", "CREATED_BY"),
            c("Modified By", "MODIFIED_BY"),
        ],
        ws,
    )
    first = world.add_row(
        types,
        {
            "Name": "all filled",
            "Number": 42,
            "Date": "2026-02-28",
            "Date Time": "2026-02-28T13:45:00Z",
            "Abstract Date Time": "2026-02-28T08:00:00",
            "Checkbox": True,
            "Picklist": "Green",
            "Multi Picklist": ["a", "c"],
            "Contact": PEOPLE[0],
            "Multi Contact": [PEOPLE[1], PEOPLE[2]],
            "Duration": Duration(days=4, hours=6, minutes=30),
        },
    )
    world.clock.advance(1)
    world.add_row(
        types,
        {
            "Name": "zeros and false",
            "Number": 0,
            "Checkbox": False,
            "Picklist": 7,
            "Contact": Contact("free text person"),
            "Duration": Duration(days=1.5, negative=True),
            "Predecessors": [Predecessor(first.id, "SS", Duration(days=2))],
        },
    )
    world.clock.advance(1)
    world.add_row(
        types,
        {
            "Name": "formula errors",
            "Number": Cell("#DIVIDE BY ZERO", formula="=1/0"),
            "Date": Cell("#INVALID DATA TYPE", formula="=[Name]1"),
            "Checkbox": Cell("#CIRCULAR REFERENCE", formula="=Checkbox3"),
            "Multi Picklist": Cell("#UNPARSEABLE", formula="=JOIN("),
        },
    )
    world.clock.advance(1)
    world.add_row(types, {"Name": "numbers", "Number": -12.75, "Picklist": "Red"})
    world.add_row(types, {"Name": "huge", "Number": 2**53 - 1})
    world.add_row(types, {"Name": "negative huge", "Number": -(2**53) + 1})
    world.add_row(types, {"Name": "0.0", "Number": 0.0})
    world.add_row(types, {"Name": "numeric text", "Number": "00123"})
    world.add_row(types, {"Name": EDGE_TEXT})
    world.add_row(types, {})  # a row that never held data
    cleared = world.add_row(types, {"Name": "soon cleared"})
    world.blank_row(types, cleared)  # still holds its auto-number, so not a blank row
    world.add_row(types, {"Name": Cell("linked", hyperlink={"url": "https://example.com/a"})})

    titles = world.add_sheet(
        "Títulos — unicode & collisions!",
        [
            c("Primary"),
            c("Due Date", "DATE"),
            c("due_date", "DATE"),
            c("Due  Date", "DATE"),
            c("due-date", "DATE"),
            c("_ss_row_id"),
            c("Row ID"),
            c("modifiedAt"),
            c("_ab_cdc_deleted_at"),
            c("Größe (cm)"),
            c("価格"),
            c("Сумма"),
            c("???"),
            c("#"),
            c("2024 Budget"),
        ],
        ws,
    )
    for index in range(3):
        world.clock.advance(3)
        world.add_row(
            titles,
            {
                "Primary": f"row {index}",
                "Due Date": _day(index),
                "due_date": _day(index + 10),
                "Due  Date": _day(index + 20),
                "due-date": _day(index + 30),
                "_ss_row_id": f"user value {index}",
                "Row ID": index,
                "modifiedAt": "not a timestamp",
                "_ab_cdc_deleted_at": "user text",
                "Größe (cm)": 170 + index,
                "価格": 1000 * (index + 1),
                "Сумма": -index,
                "???": "what",
                "#": index,
                "2024 Budget": 99.5,
            },
        )

    blank = world.add_row(titles, {"Primary": "soon blank", "Row ID": 9})
    world.clock.advance(3)
    world.blank_row(titles, blank)  # no value at all: invisible to rowsModifiedSince

    level1 = world.add_folder("Level 1", ws)
    level2 = world.add_folder("Level 2", level1)
    level3 = world.add_folder("Level 3", level2)
    deep = world.add_sheet("Deep Sheet", [c("Item"), c("Qty")], level3)
    world.add_row(deep, {"Item": "bolt", "Qty": 12})
    team_a = world.add_folder("Team A", ws)
    team_b = world.add_folder("Team B", ws)
    for team, folder in (("A", team_a), ("B", team_b)):
        tasks = world.add_sheet("Tasks", [c("Task"), c("Owner", "CONTACT_LIST")], folder)
        world.add_row(tasks, {"Task": f"team {team} task", "Owner": PEOPLE[3]})
    world.add_sheet("Empty Sheet", [c("Nothing Here")], ws)

    _edge_scripts(world, ws)

    hierarchy = world.add_sheet("Hierarchy", [c("Node"), c("Depth")], ws)
    parent: Row | None = None
    for depth in range(12):
        world.clock.advance(1)
        parent = world.add_row(hierarchy, {"Node": f"level {depth}", "Depth": depth}, parent=parent)
    world.add_report("Edge Report", [deep, world.sheet_named("Every Column Type")], ws)
    _edge_around_rows(world)
    world.add_template("Deep Template", level3, description="Kept three folders down")  # found by the walk's recursion
    return world


# Titles in the scripts of Smartsheet's users, and the marks that break naive naming (README, naming rule).
SCRIPT_TITLES = [
    "名前",  # Chinese / Japanese kanji
    "担当者",
    "진행 상태",  # Hangul
    "テスト",  # katakana
    "Сумма",  # Cyrillic
    "Ελληνικά",  # Greek
    "السعر",  # Arabic
    "מחיר",  # Hebrew
    "कीमत",  # Devanagari
    "ราคา",  # Thai
    "✅ Done",  # emoji
    "🚀🚀",  # nothing left after the rule
    "Ming Qian",  # collides with 名前 after transliteration
    "\u200fRTL mark",  # a right-to-left mark
    "Zero\u200dwidth",  # a zero-width joiner
    "Cre\u0300me bru\u0302le\u0301e",  # combining accents
    "Long " + "título " * 28,  # about 200 characters
]


def _edge_scripts(world: World, ws: Any) -> None:
    """A sheet named in kanji with a column per script, and a sheet whose name starts with a digit."""
    c = world.column
    columns = [c(title) for title in SCRIPT_TITLES]
    columns.append(c("Notes", description="Free text; the description Smartsheet shows for the column."))
    kanji = world.add_sheet("価格表", columns, ws)
    for index in range(3):
        world.clock.advance(2)
        world.add_row(kanji, {title: f"{title[:10]} {index}" for title in [*SCRIPT_TITLES, "Notes"]})
    targets = world.add_sheet("2026 Targets", [c("Target"), c("Value")], ws)
    world.add_row(targets, {"Target": "Revenue", "Value": 1_000_000})


def _edge_around_rows(world: World) -> None:
    """The odd ones: an empty summary, a formula error in a summary field, a discussion with no comment, one with
    500 comments, a 200-character title."""
    types = world.sheet_named("Every Column Type")
    titles = world.sheet_named("Títulos — unicode & collisions!")
    world.add_summary_field(types, "Ratio", "TEXT_NUMBER", Cell(value="#DIVIDE BY ZERO", formula="=1/0"))
    world.add_summary_field(types, "Checked", "CHECKBOX", True)
    world.add_summary_field(types, "T" * 200, "TEXT_NUMBER", "a 200-character title")
    world.add_discussion(types, "")  # opened, never commented
    busy = world.add_discussion(types, "Comment 1 of 500", row=types.rows[0])
    for number in range(2, 501):
        world.clock.advance(1)
        world.add_comment(types, busy, f"Comment {number} of 500")
    world.add_discussion(titles, "x" * 150)  # the title is its first 100 characters


def build_large(clock: Clock | None = None, rows: int = 20_000, columns: int = 25) -> World:
    """One sheet at Smartsheet's size limit: 20,000 rows x 25 columns (500,000 cells)."""
    world = World("large", seed=33, clock=clock)
    ws = world.add_workspace("Large Data")
    c = world.column
    kinds: list[tuple[str, Callable[[random.Random, int], Any]]] = [
        ("TEXT_NUMBER", lambda rng, i: f"Item {i:05d}"),
        ("TEXT_NUMBER", lambda rng, i: round(rng.uniform(-1000, 100000), 2)),
        ("DATE", lambda rng, i: _day(rng.randrange(0, 700))),
        ("CHECKBOX", lambda rng, i: rng.random() < 0.5),
        ("PICKLIST", lambda rng, i: rng.choice(["Open", "Closed", "Blocked"])),
        ("CONTACT_LIST", lambda rng, i: PEOPLE[rng.randrange(len(PEOPLE))]),
    ]
    columns_made = []
    for index in range(columns):
        kind, _ = kinds[index % len(kinds)] if index else kinds[0]
        options = ["Open", "Closed", "Blocked"] if kind == "PICKLIST" else None
        columns_made.append(c(f"Column {index + 1:02d}", kind, options=options))
    sheet = world.add_sheet("Large Sheet", columns_made, ws)
    rng = random.Random(333)
    makers = [kinds[index % len(kinds)][1] if index else kinds[0][1] for index in range(columns)]
    _bulk_rows(world, sheet, rows, lambda i: {col.id: make(rng, i) for col, make in zip(columns_made, makers, strict=True)})
    return world


def _bulk_rows(world: World, sheet: Sheet, count: int, cells: Callable[[int], dict[int, Any]]) -> None:
    """Append many rows at once (one second apart per 100 rows), moving the version once."""
    for index in range(count):
        if index % 100 == 0:
            world.clock.advance(1)
        now = world.clock.now()
        row = Row(world.new_id(), now, now, sheet.owner, sheet.owner)
        row.cells = cells(index)
        sheet.rows.append(row)
    sheet.version += 1
    sheet.modified_at = world.clock.now()


def build_many(clock: Clock | None = None, sheets: int = 200, rows: int = 40) -> World:
    """One workspace holding 200 sheets across folders (15 per region folder, 5 in its archive)."""
    world = World("many", seed=44, clock=clock)
    ws = world.add_workspace("Regional Operations")
    rng = random.Random(444)
    templates = [world.add_template(f"{kind} Store Template", ws) for kind in ("Flagship", "Mall", "Outlet", "Street")]
    made = 0
    region = 0
    while made < sheets:
        region += 1
        folder = world.add_folder(f"Region {region:02d}", ws)
        archive = world.add_folder("Archive", folder)
        for slot in range(20):
            if made >= sheets:
                break
            parent = folder if slot < 15 else archive
            c = world.column
            columns = [
                c("Store"),
                c("Manager", "CONTACT_LIST"),
                c("Week Of", "DATE"),
                c("Revenue"),
                c("Open", "CHECKBOX"),
                c("Status", "PICKLIST", options=["Green", "Amber", "Red"]),
            ]
            template = templates[slot % len(templates)]
            sheet = world.add_sheet(f"Region {region:02d} Store {slot + 1:02d}", columns, parent, source=template)
            _bulk_rows(world, sheet, rows, _store_row([column.id for column in columns], rng))
            made += 1
    _many_around_rows(world)
    return world


def _many_around_rows(world: World) -> None:
    """Every store sheet has the same summary; every tenth has a discussion with a file on it."""
    for number, sheet in enumerate(sorted(world.sheets.values(), key=lambda sheet: sheet.name)):
        world.add_summary_field(sheet, "Store Manager", "CONTACT_LIST", PEOPLE[number % len(PEOPLE)])
        world.add_summary_field(sheet, "Revenue Target", "TEXT_NUMBER", 25000 + 500 * (number % 40))
        world.add_summary_field(sheet, "Health", "PICKLIST", ["Green", "Amber", "Red"][number % 3])
        world.add_summary_field(sheet, "Next Review", "DATE", _day(30 + number % 60))
        if number % 10 == 0:
            text = f"Week {number // 10 + 1} numbers look off; please check."
            discussion = world.add_discussion(sheet, text, row=sheet.rows[0])
            world.add_comment(sheet, discussion, "Checked: a late delivery, fixed now.")
            world.add_attachment(sheet, f"receipt-{number:03d}.pdf", sheet.rows[0], mime_type="application/pdf", size_in_kb=64)


def _store_row(ids: list[int], rng: random.Random) -> Callable[[int], dict[int, Any]]:
    def cells(i: int) -> dict[int, Any]:
        return {
            ids[0]: f"Store {i:03d}",
            ids[1]: PEOPLE[i % len(PEOPLE)],
            ids[2]: _day(i),
            ids[3]: round(rng.uniform(1000, 50000), 2),
            ids[4]: bool(i % 3),
            ids[5]: ["Green", "Amber", "Red"][i % 3],
        }

    return cells


WORLDS: dict[str, Callable[..., World]] = {
    "demo": build_demo,
    "edge": build_edge,
    "large": build_large,
    "many": build_many,
}


def build(name: str, clock: Clock | None = None) -> World:
    """Build a named world; a fresh clock frozen at 2026-01-05 09:00 UTC unless one is given."""
    try:
        builder = WORLDS[name]
    except KeyError:
        raise ValueError(f"unknown world {name!r}; choose one of {', '.join(WORLDS)}") from None
    return builder(clock=clock or Clock(utc(2026, 1, 5, 9, 0, 0)))
