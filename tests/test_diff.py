"""The model diff: clause by clause, word by word, cell by cell, moved list items.

Every expected change below is worked out by hand from the edit made to the contract (or to a
clause file), not copied from the diff's output.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from slagen.compose.assemble import assemble
from slagen.compose.library import CLAUSE_DIR, load_library
from slagen.document import ListBlock, Paragraph, Run, Section, Table, TableOfContents, text
from slagen.library.contracts import load_contract
from slagen.review.diff import (
    Deleted,
    Inserted,
    RedlineSection,
    compact,
    diff_blocks,
    diff_documents,
    word_diff,
)
from slagen.review.redline import build_redline, redline_json, redline_text
from slagen.review.values import ValueChange, changed_values

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme-dental.yaml"
DATA = Path(__file__).resolve().parent / "data" / "review"


def variant(tmp_path, *replacements: tuple[str, str], extra: str = "", name: str = "new.yaml") -> Path:
    source = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(source + extra, encoding="utf-8")
    return path


def fixture(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def acme():
    return load_contract(EXAMPLE)


@pytest.fixture(scope="module")
def acme_doc(acme):
    return assemble(acme, "agreement")


def tracked(node) -> list[tuple[str, str]]:
    """Every Inserted/Deleted run in a redline tree, in document order: ('+', text) / ('-', text)."""
    out = []

    def inlines(items):
        for i in items:
            if isinstance(i, Inserted):
                out.append(("+", i.text))
            elif isinstance(i, Deleted):
                out.append(("-", i.text))

    def block(b):
        if isinstance(b, RedlineSection):
            inlines(b.title_inlines)
        if isinstance(b, Section):
            for c in b.children:
                block(c)
        elif isinstance(b, Paragraph):
            inlines(b.inlines)
        elif isinstance(b, ListBlock):
            for item in b.items:
                for c in item:
                    block(c)
        elif isinstance(b, Table):
            for cell in b.header:
                inlines(cell)
            for row in b.rows:
                for cell in row:
                    inlines(cell)

    for b in node:
        block(b)
    return out


# --------------------------------------------------------------------------------------------
# Words


def test_word_diff_marks_only_the_words_that_changed():
    old = (Run("giving the other at least 90 days written notice."),)
    new = (Run("giving the other at least 60 days notice."),)
    inlines, changed = word_diff(old, new)
    assert changed
    assert inlines == (
        Run("giving the other at least "), Deleted("90"), Inserted("60"), Run(" days "),
        Deleted("written "), Run("notice."),
    )


def test_numbers_with_separators_are_one_word():
    inlines, _ = word_diff((Run("target 99.9% at 08:30"),), (Run("target 99.5% at 08:00"),))
    assert inlines == (Run("target "), Deleted("99.9%"), Inserted("99.5%"), Run(" at "),
                       Deleted("08:30"), Inserted("08:00"))


def test_a_lone_space_between_two_changes_joins_them():
    inlines, _ = word_diff((Run("red apple"),), (Run("green pear"),))
    assert inlines == (Deleted("red apple"), Inserted("green pear"))


def test_formatting_alone_is_not_a_change_of_wording():
    inlines, changed = word_diff((Run("the Priority Matrix"),), (Run("the "), Run("Priority Matrix", bold=True)))
    assert not changed
    assert inlines == (Run("the "), Run("Priority Matrix", bold=True))


def test_compact_shows_the_change_with_a_little_context():
    before = "one two three four five six seven eight nine ten 90 days eleven twelve thirteen fourteen " \
             "fifteen sixteen seventeen"
    after = before.replace("90", "60")
    assert compact(before, after, context=3) == "... eight nine ten [-90-]{+60+} days eleven twelve ..."


# --------------------------------------------------------------------------------------------
# Identity and symmetry


def test_a_document_diffed_with_itself_has_no_changes(acme_doc):
    result = diff_documents(acme_doc, acme_doc)
    assert result.changes == ()
    assert tracked(result.blocks) == []
    assert result.blocks == tuple(b for b in acme_doc.blocks if not isinstance(b, TableOfContents))


def test_a_contract_diffed_with_itself_has_no_changes_or_values(acme):
    rl = build_redline(acme, acme)
    assert rl.changes == () and rl.values == ()
    assert "No changes." in redline_text(rl)
    assert json.loads(redline_json(rl))["changes"] == []


def test_swapping_old_and_new_swaps_insertions_and_deletions(tmp_path, acme):
    new = load_contract(variant(
        tmp_path, ("resolution: 4h", "resolution: 2h"), ("notice_days: 90", "notice_days: 60"),
        ("  - Printers, scanners and consumables.\n", "  - Printers and consumables.\n  - Mobile phones.\n"),
    ))
    forward = build_redline(acme, new)
    backward = build_redline(new, acme)
    swap = {"+": "-", "-": "+"}
    assert sorted(tracked(backward.document.blocks)) == sorted((swap[k], t) for k, t in tracked(forward.document.blocks))
    flip = {"added": "removed", "removed": "added", "changed": "changed"}
    assert sorted((c.clause, flip[c.kind], c.after, c.before) for c in forward.changes) == \
        sorted((c.clause, c.kind, c.before, c.after) for c in backward.changes)
    assert [(v.label, v.after, v.before) for v in forward.values] == \
        [(v.label, v.before, v.after) for v in backward.values]


# --------------------------------------------------------------------------------------------
# What changed, in the contract's own terms


def test_a_changed_value_inside_a_table_is_one_cell(tmp_path, acme):
    new = load_contract(variant(tmp_path, ("    response: 30m\n    resolution: 4h", "    response: 30m\n    resolution: 2h")))
    rl = build_redline(acme, new)
    table_changes = [c for c in rl.changes if c.clause == "priorities"]
    # The priority matrix: row 1 is P1, column 4 is Resolution.
    assert [c.as_json() for c in table_changes] == [{
        "clause": "priorities", "path": "priorities/table[priorities.table-1]/row[1]/cell[4]",
        "kind": "changed", "before": "4 hours", "after": "2 hours",
    }]
    matrix = next(b for b in rl.document.blocks if b.id == "priorities").children[1]
    assert matrix.rows[0][3] == (Deleted("4"), Inserted("2"), Run(" hours"))
    # The worked example for P1 is logged Saturday 23:40 on a 24x7 clock: due 03:40 with 4
    # hours, 01:40 with 2; its wording quotes the target too.
    example = [c for c in rl.changes if c.clause == "worked-examples"]
    assert len(example) == 1 and example[0].kind == "changed"
    assert "Resolved by Sunday 10 January 2027 at 03:40" in example[0].before
    assert "Resolved by Sunday 10 January 2027 at 01:40" in example[0].after
    assert {c.clause for c in rl.changes} == {"priorities", "worked-examples"}


def test_values_table_heads_the_redline(tmp_path, acme):
    new = load_contract(variant(tmp_path, ("    resolution: 4h", "    resolution: 2h"),
                                ("credit_cap: 25%", "credit_cap: 30%")))
    values = changed_values(acme, new)
    assert values == [ValueChange("P1 resolution", "4 hours", "2 hours"),
                      ValueChange("Service credit cap", "25%", "30%")]
    assert str(values[0]) == "P1 resolution: 4 hours -> 2 hours"
    rl = build_redline(acme, new)
    head = rl.document.blocks[0]
    assert head.id == "redline-summary" and head.title == "Changes at a glance"
    table = next(b for b in head.children if isinstance(b, Table))
    assert table.header == (text("Value"), text("Before"), text("After"))
    assert table.rows == ((text("P1 resolution"), text("4 hours"), text("2 hours")),
                          (text("Service credit cap"), text("25%"), text("30%")))
    assert "  P1 resolution: 4 hours -> 2 hours" in redline_text(rl).splitlines()


def test_a_value_stated_on_one_side_only(tmp_path, acme):
    new = load_contract(variant(tmp_path, ("  credit_cap: 25%\n", "")))
    assert changed_values(acme, new) == [ValueChange("Service credit cap", "25%", "not stated")]


def test_an_added_clause(tmp_path, acme):
    new = load_contract(variant(tmp_path, extra=fixture("clauses-add.yaml")))
    rl = build_redline(acme, new)
    added = [c for c in rl.changes if c.clause == "dental-imaging"]
    assert [c.as_json() for c in added] == [{
        "clause": "dental-imaging", "path": "dental-imaging", "kind": "added",
        "before": "", "after": "Dental imaging systems",
    }]
    ids = [b.id for b in rl.document.blocks]
    assert ids.index("dental-imaging") == ids.index("exclusions") + 1
    section = rl.document.blocks[ids.index("dental-imaging")]
    assert isinstance(section, RedlineSection) and section.mark == "inserted"
    assert tracked((section,)) == [
        ("+", "Dental imaging systems"),
        ("+", "The Provider supports the network connection of the practice's imaging systems only."),
    ]
    # Annex B gains the clause's row.
    register = [c for c in rl.changes if c.clause == "annex-register"]
    assert [(c.kind, c.after.split(" | ")[0]) for c in register] == [("added", "dental-imaging")]


def test_a_removed_clause(tmp_path, acme):
    new = load_contract(variant(tmp_path, extra=fixture("clauses-omit.yaml")))
    rl = build_redline(acme, new)
    removed = [c for c in rl.changes if c.clause == "support-constraints"]
    assert [(c.path, c.kind, c.before, c.after) for c in removed] == [
        ("support-constraints", "removed", "Support constraints", "")]
    section = next(b for b in rl.document.blocks if b.id == "support-constraints")
    assert isinstance(section, RedlineSection) and section.mark == "deleted"
    assert all(kind == "-" for kind, _ in tracked((section,)))
    # The register row now says the clause was omitted; the reason stays out of the customer's copy.
    register = {c.path: c for c in rl.changes if c.clause == "annex-register"}
    change_cells = [c for c in register.values() if c.path.endswith("/cell[6]")]
    assert [(c.before, c.after) for c in change_cells] == [("as in library", "omitted")]


def test_a_reordered_list_is_reported_as_moves(tmp_path, acme):
    responsibilities = (
        "  - Name a contact who is available during Support Hours.\n"
        "  - Keep manufacturer warranties in force on all servers and network equipment.\n"
        "  - Allow the Provider remote access to supported systems.\n"
        "  - Log every problem through an agreed channel.\n"
    )
    reordered = (
        "  - Log every problem through an agreed channel.\n"
        "  - Name a contact who is available during Support Hours.\n"
        "  - Keep manufacturer warranties in force on all servers and network equipment.\n"
        "  - Allow the Provider remote access to supported systems.\n"
    )
    new = load_contract(variant(tmp_path, (responsibilities, reordered)))
    rl = build_redline(acme, new)
    assert [c.as_json() for c in rl.changes] == [{
        "clause": "customer-responsibilities", "path": "customer-responsibilities/list[1]/item[1]",
        "kind": "moved", "before": "item 4: Log every problem through an agreed channel.",
        "after": "item 1: Log every problem through an agreed channel.",
    }]
    # In the redline the item is inserted at its new place and deleted from its old one.
    section = next(b for b in rl.document.blocks if b.id == "customer-responsibilities")
    assert tracked((section,)) == [("+", "Log every problem through an agreed channel."),
                                   ("-", "Log every problem through an agreed channel.")]


def test_an_overridden_clause(tmp_path, acme):
    new = load_contract(variant(tmp_path, extra=fixture("clauses-replace.yaml")))
    rl = build_redline(acme, new)
    exclusions = [c for c in rl.changes if c.clause == "exclusions"]
    # Library: "The following are expressly excluded from the Services, and the Service Levels do
    # not apply to them:", three items and a paragraph pointing at the force-majeure clause; the
    # replacement shortens the sentence, cuts the vendor's words from item 1, keeps item 2 and drops
    # item 3 and the pointer.
    assert [(c.path, c.kind) for c in exclusions] == [
        ("exclusions/p[1]", "changed"),
        ("exclusions/list[1]/item[1]/p[1]", "changed"),
        ("exclusions/list[1]/item[3]", "removed"),
        ("exclusions/p[2]", "removed"),
    ]
    assert exclusions[0].after == "The following are excluded from the Services:"
    assert exclusions[2].before == "Hardware repairs outside the manufacturer's warranty."
    section = next(b for b in rl.document.blocks if b.id == "exclusions")
    assert [(kind, t.strip()) for kind, t in tracked(section.children[:1])] == [
        ("-", "expressly"), ("-", ", and the Service Levels do not apply to them"),
    ]


def test_a_changed_clause_version(tmp_path, acme):
    library = tmp_path / "clauses"
    shutil.copytree(CLAUSE_DIR, library)
    path = library / "termination.md"
    source = path.read_text(encoding="utf-8")
    source = source.replace("version: 3.0.0", "version: 3.1.0", 1).replace(
        "the reasonable assistance", "the reasonable and timely assistance", 1)
    path.write_text(source, encoding="utf-8")
    new_library = load_library(library)
    rl = build_redline(acme, acme, library=new_library, old_library=load_library())
    by_clause = {}
    for c in rl.changes:
        by_clause.setdefault(c.clause, []).append(c)
    assert sorted(by_clause) == ["annex-register", "termination"]
    assert [(k, t.strip()) for k, t in tracked(next(b for b in rl.document.blocks if b.id == "termination").children)
            ] == [("+", "and timely")]
    register = by_clause["annex-register"]
    version_cells = [(c.before, c.after) for c in register if c.path.endswith("/cell[3]")]
    assert version_cells == [("3.0.0", "3.1.0")]
    sha_cells = [(c.before, c.after) for c in register if c.path.endswith("/cell[5]")]
    assert sha_cells == [(load_library()["termination"].sha256[:16], new_library["termination"].sha256[:16])]
    assert rl.values == ()


# --------------------------------------------------------------------------------------------
# Hand-built trees


def _p(s: str) -> Paragraph:
    return Paragraph((Run(s),))


def test_table_rows_are_matched_by_their_label():
    old = Table(header=(text("Priority"), text("Response")),
                rows=((text("P1"), text("30 minutes")), (text("P2"), text("1 hour")), (text("P3"), text("4 hours"))),
                id="t")
    new = Table(header=(text("Priority"), text("Response")),
                rows=((text("P1"), text("30 minutes")), (text("P3"), text("2 hours")), (text("P4"), text("8 hours"))),
                id="t")
    result = diff_blocks((Section("s", "S", (old,)),), (Section("s", "S", (new,)),))
    assert [(c.path, c.kind, c.before, c.after) for c in result.changes] == [
        ("s/table[t]/row[2]", "removed", "P2 | 1 hour", ""),
        ("s/table[t]/row[2]/cell[2]", "changed", "4 hours", "2 hours"),
        ("s/table[t]/row[3]", "added", "", "P4 | 8 hours"),
    ]
    rows = result.blocks[0].children[0].rows
    assert rows[1] == ((Deleted("P2"),), (Deleted("1 hour"),))
    assert rows[3] == ((Inserted("P4"),), (Inserted("8 hours"),))


def test_a_renamed_section_has_a_tracked_title():
    result = diff_blocks((Section("s", "Service credits", (_p("x"),)),),
                         (Section("s", "Service credits and caps", (_p("x"),)),))
    assert [(c.path, c.before, c.after) for c in result.changes] == [
        ("s/title", "Service credits", "Service credits and caps")]
    section = result.blocks[0]
    assert isinstance(section, RedlineSection) and section.mark == ""
    assert section.title_inlines == (Run("Service credits"), Inserted(" and caps"))


def test_inside_an_annex_each_child_section_is_a_clause():
    old = Section("annex-a", "Annex", (Section("components", "Components", (_p("one firewall at the office"),)),),
                  annex=True)
    new = Section("annex-a", "Annex", (Section("components", "Components", (_p("two firewalls at the office"),)),),
                  annex=True)
    result = diff_blocks((old,), (new,))
    assert [(c.clause, c.path) for c in result.changes] == [("components", "annex-a/components/p[1]")]


def test_paragraph_labels_count_paragraphs_in_their_section():
    old = (Section("s", "S", (_p("one"), ListBlock(((_p("a"),),)), _p("two"))),)
    new = (Section("s", "S", (_p("one"), ListBlock(((_p("a"),),)), _p("two more"))),)
    result = diff_blocks(old, new)
    assert [c.path for c in result.changes] == ["s/p[2]"]


# --- Size: a long text is compared within a budget, coarser past it, never for minutes ----------

def _sides(inlines) -> tuple[str, str]:
    """The old and the new text a redline stands for."""
    from slagen.review.diff import Deleted, Inserted

    old = "".join(i.text for i in inlines if not isinstance(i, Inserted))
    new = "".join(i.text for i in inlines if not isinstance(i, Deleted))
    return old, new


@pytest.fixture
def comparisons(monkeypatch):
    """The size (old tokens x new tokens) of every comparison the diff makes."""
    import slagen.review.diff as diff_module

    sizes: list[int] = []
    real = diff_module.SequenceMatcher

    def counting(junk, a, b, autojunk=True):
        sizes.append(len(a) * len(b))
        return real(junk, a, b, autojunk=autojunk)

    monkeypatch.setattr(diff_module, "SequenceMatcher", counting)
    return sizes


def test_a_150000_word_paragraph_is_compared_within_the_budget(comparisons):
    from slagen.review.diff import WORD_PAIR_BUDGET

    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    old = " ".join(words[(i * 7) % 8] for i in range(150_000))
    new = " ".join("changed" if i % 50 == 0 else words[(i * 7) % 8] for i in range(150_000))
    inlines, changed = word_diff((Run(old),), (Run(new),))
    assert changed
    assert _sides(inlines) == (old, new)  # coarse (no sentences to align), but exact
    assert all(size <= WORD_PAIR_BUDGET for size in comparisons)


def test_past_the_budget_unchanged_sentences_stay_and_changed_ones_are_diffed_word_by_word(comparisons):
    from slagen.review.diff import Deleted, Inserted, WORD_PAIR_BUDGET

    sentences = [f"Clause {n} binds the parties for the term of this agreement." for n in range(2000)]
    changed_at = set(range(0, 2000, 100))
    new_sentences = [s.replace("binds", "obliges") if n in changed_at else s for n, s in enumerate(sentences)]
    old, new = " ".join(sentences), " ".join(new_sentences)
    inlines, changed = word_diff((Run(old),), (Run(new),))
    assert _sides(inlines) == (old, new)
    assert [i.text for i in inlines if isinstance(i, Deleted)] == ["binds"] * len(changed_at)
    assert [i.text for i in inlines if isinstance(i, Inserted)] == ["obliges"] * len(changed_at)
    assert max(comparisons) <= WORD_PAIR_BUDGET


def test_pairing_blocks_stops_at_its_budget_and_shows_the_rest_replaced(monkeypatch):
    import slagen.review.diff as diff_module

    def paragraphs(word: str) -> tuple:
        return tuple(Paragraph((Run(f"Paragraph {n}: {word} {word} {word}."),)) for n in range(40))

    old = (Section("s", "S", paragraphs("old")),)
    new = (Section("s", "S", paragraphs("new")),)
    kinds = [c.kind for c in diff_blocks(old, new).changes]
    assert kinds == ["changed"] * 40  # within the budget: each paragraph pairs with its successor
    monkeypatch.setattr(diff_module, "BLOCK_PAIR_BUDGET", 10)
    kinds = [c.kind for c in diff_blocks(old, new).changes]
    assert kinds.count("changed") == 10 and kinds.count("removed") == 30 and kinds.count("added") == 30
# --------------------------------------------------------------------------------------------
# The redline PDF keeps tables readable


def _p1_redline(tmp_path, acme):
    new = load_contract(variant(tmp_path, ("    response: 30m\n    resolution: 4h", "    response: 30m\n    resolution: 2h")))
    return build_redline(acme, new)


def test_redline_html_keeps_every_cell_of_a_changed_row_in_its_column(tmp_path, acme):
    from slagen.review.redline import redline_html

    html = redline_html(_p1_redline(tmp_path, acme))
    table = re.search(r'<table id="s-priorities\.table-1">.*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    cells = [re.findall(r"<t[dh]>(.*?)</t[dh]>", row, re.S) for row in rows]
    assert [len(c) for c in cells] == [6, 6, 6, 6, 6]
    assert cells[1][0] == "P1 (Critical)" and cells[1][3] == "<del>4</del><ins>2</ins> hours"
    # the change bar is a border of the first cell, never a generated box inside the row
    assert "tr.changed > td:first-child" in html and ".changed:not(tr)::after" in html


def test_redline_pdf_lays_the_changed_row_out_in_its_columns_with_the_deletion_struck(tmp_path, acme):
    from weasyprint import HTML

    from slagen.review.redline import redline_html
    from slagen.writers.html import ASSETS
    from slagen.writers.pdf import _fetcher

    rendered = HTML(string=redline_html(_p1_redline(tmp_path, acme)), base_url=ASSETS.as_uri() + "/",
                    url_fetcher=_fetcher()).render()
    boxes = [(box.text, box.position_x, box) for page in rendered.pages
             for box in page._page_box.descendants() if type(box).__name__ == "TextBox"]
    x: dict[str, float] = {}
    for text, left, _ in boxes:
        x.setdefault(text, left)  # the first time a text is laid out: the priority matrix
    # P1's cells start where P2's do, column by column (P2's row is unchanged); the change
    # bar, a thicker left border, moves the first cell's text by a point or so, never a column
    assert abs(x["P1"] - x["P2"]) < 2
    assert x["30"] == x["1 hour"] and x["every 1"] == x["every 4"]
    struck = [box for text, _, box in boxes if text == "4" and box.element_tag == "del"]
    assert len(struck) == 2  # in the matrix, and in the worked example that quotes the target
    assert all("line-through" in box.style["text_decoration_line"] for box in struck)
    two = next(left for text, left, box in boxes if text == "2" and box.element_tag == "ins")
    assert two > struck[0].position_x + struck[0].width  # "2" stands apart: never read as "42"
