"""The clause library: front matter, the model check, escaping and filters."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from slagen.compose.assemble import load_outline
from slagen.compose.clause_check import check_clause
from slagen.compose.clause_text import duration_words, escape_markdown, render_markdown
from slagen.compose.library import CLAUSE_DIR, ClauseError, load_library, parse_clause
from slagen.document import Paragraph, Run, Table, plain_text, walk
from slagen.compose.markdown_tree import markdown_blocks

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme-dental.yaml"


def clause(body: str, when: str | None = None) -> str:
    condition = f"when: {when}\n" if when else ""
    return f"---\nid: probe\ntitle: Probe\nversion: 1.0.0\nstatus: draft\ndocuments: [agreement]\n{condition}---\n{body}"


def test_every_clause_in_the_library_matches_the_model():
    library = load_library(CLAUSE_DIR, check=False)
    assert len(library.clauses) >= 25
    assert library.problems() == []


def test_every_clause_an_outline_names_exists_and_belongs_to_that_document():
    library = load_library()
    for kind in ("agreement", "sow"):
        for clause_id in load_outline(kind).clause_ids():
            assert clause_id in library, clause_id
            assert kind in library[clause_id].documents


def test_front_matter_is_complete_and_versioned():
    for file in sorted(CLAUSE_DIR.glob("*.md")):
        if file.name == "README.md":
            continue
        c = parse_clause(file.read_text(encoding="utf-8"), str(file))
        assert c.id == file.stem
        assert c.status in ("draft", "approved")
        assert c.version.count(".") == 2


@pytest.mark.parametrize(
    "body, message",
    [
        ("{{ customer.nmae }}", "'nmae' is not a field of Customer"),
        ("{% for s in services %}{{ s.uptime }}{% endfor %}", "'uptime' is not a field of Service"),
        ("{{ facts.downtime[0].servce }}", "'servce' is not a field of DowntimeAllowance"),
        ("{{ customers.name }}", "'customers' is not a section of the contract"),
        ("{{ sow.fees.monthly | nosuchfilter }}", "No filter named 'nosuchfilter'"),
        ("{% if customer.name %}", "template syntax"),
        ("{{ services.name }}", "the value is a list"),
    ],
)
def test_a_clause_naming_what_the_model_lacks_fails_at_load(body, message):
    problems = check_clause(parse_clause(clause(body), "probe.md"))
    assert any(message in p for p in problems), problems


def test_a_condition_is_checked_too():
    problems = check_clause(parse_clause(clause("Text.", when="data_protection.personal_dta"), "probe.md"))
    assert any("'personal_dta' is not a field of DataProtection" in p for p in problems)


def test_a_library_with_a_bad_clause_refuses_to_load(tmp_path):
    (tmp_path / "probe.md").write_text(clause("{{ customer.nmae }}"), encoding="utf-8")
    with pytest.raises(ClauseError, match="nmae"):
        load_library(tmp_path)


@pytest.mark.parametrize(
    "front, message",
    [
        ("id: probe\ntitle: P\nversion: 1.0\nstatus: approved\ndocuments: [agreement]", "semantic version"),
        ("id: probe\ntitle: P\nversion: 1.0.0\nstatus: signed\ndocuments: [agreement]", "status"),
        ("id: probe\ntitle: P\nversion: 1.0.0\nstatus: draft\ndocuments: [letter]", "document 'letter'"),
        ("id: probe\nversion: 1.0.0\nstatus: draft\ndocuments: [sow]", "needs 'title'"),
    ],
)
def test_bad_front_matter_is_reported(front, message):
    with pytest.raises(ClauseError, match=message):
        parse_clause(f"---\n{front}\n---\nText\n", "probe.md")


def test_values_are_escaped_so_they_stay_data():
    hostile = "{{ 7*7 }} <b>bold</b> *star* [link](http://x) | pipe & &amp; # 1. \\ `code`"
    markdown = escape_markdown(hostile)
    blocks = markdown_blocks(markdown, "probe")
    assert plain_text(blocks[0].inlines) == hostile
    assert all(not r.bold and not r.italic for r in blocks[0].inlines)


def test_a_value_is_never_evaluated_as_a_template():
    out = render_markdown("Customer: {{ name }}", {"name": "{{ 7*7 }}"})
    blocks = markdown_blocks(out, "probe")
    assert plain_text(blocks[0].inlines) == "Customer: {{ 7*7 }}"


def test_a_value_inside_a_table_cell_cannot_split_the_cell():
    out = render_markdown("| A | B |\n|---|---|\n| {{ v }} | x |\n", {"v": "one | two\nthree"})
    table = markdown_blocks(out, "probe")[0]
    assert isinstance(table, Table)
    assert [plain_text(c) for c in table.rows[0]] == ["one | two three", "x"]


def test_the_sandbox_refuses_unsafe_attribute_access():
    with pytest.raises(ClauseError):
        render_markdown("{{ name.__class__.__mro__ }}", {"name": "x"})


def test_duration_words():
    assert duration_words(timedelta(minutes=30)) == "30 minutes"
    assert duration_words(timedelta(hours=1)) == "1 hour"
    assert duration_words(timedelta(hours=1, minutes=30)) == "1 hour 30 minutes"
    assert duration_words(timedelta(hours=72)) == "72 hours"
    assert duration_words(timedelta(minutes=43, seconds=12)) == "43 minutes 12 seconds"


class _Agreement:
    def __init__(self, currency, locale):
        self.currency, self.locale = currency, locale


@pytest.mark.parametrize(
    "currency, locale, expected",
    [("GBP", "en_GB", "£5,400.00"), ("EUR", "de_DE", "5.400,00\u00a0€"), ("USD", "en_US", "$5,400.00")],
)
def test_money_follows_the_contract_currency_and_locale(currency, locale, expected):
    out = render_markdown("{{ fee | money }}", {"fee": Decimal("5400.00"), "agreement": _Agreement(currency, locale)})
    text = plain_text(markdown_blocks(out, "p")[0].inlines)
    assert text == expected


def test_percent_and_dates():
    from datetime import date

    ctx = {"agreement": _Agreement("GBP", "en_GB"), "p": Decimal("99.90"), "d": date(2027, 1, 1)}
    out = render_markdown("{{ p | percent }} from {{ d | date }}", ctx)
    assert plain_text(markdown_blocks(out, "p")[0].inlines) == "99.9% from 1 January 2027"


def test_priority_table_filter_escapes_its_cells():
    from slagen.library.contracts import load_contract

    contract = load_contract(EXAMPLE)
    out = render_markdown("{{ priorities | priority_table }}", {"priorities": contract.priorities})
    table = markdown_blocks(out, "priorities")[0]
    assert isinstance(table, Table)
    assert [plain_text(c) for c in table.header][:4] == ["Priority", "Meaning", "Response", "Resolution"]
    first = [plain_text(c) for c in table.rows[0]]
    assert first[:4] == ["P1 (Critical)", "A business-wide outage, or several staff unable to work.",
                         "30 minutes", "4 hours"]


def test_markdown_becomes_the_document_tree():
    blocks = markdown_blocks("Intro **bold** and *it*.\n\n- one\n- two\n\n## Detail\n\nInside.\n", "c")
    assert isinstance(blocks[0], Paragraph)
    assert Run("bold", bold=True) in blocks[0].inlines
    assert Run("it", italic=True) in blocks[0].inlines
    section = blocks[2]
    assert section.id == "c.detail" and section.title == "Detail"
    assert [type(b).__name__ for b in walk(blocks)] == ["Paragraph", "ListBlock", "Paragraph", "Paragraph",
                                                       "Section", "Paragraph"]


def test_raw_html_in_clause_text_is_text():
    blocks = markdown_blocks("<script>alert(1)</script> text", "c")
    assert plain_text(blocks[0].inlines) == "<script>alert(1)</script> text"
