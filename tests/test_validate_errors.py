"""Every mistake a user can make gets FILE:LINE:COL, words a person understands, and exit 2."""

import json

import pytest
from typer.testing import CliRunner

from conftest import REFERENCE, run_slagen
from invalid_cases import CASES, LIMIT_CASES
from slagen.cli import app
from slagen.errors import InvalidInput
from slagen.library.contracts import load_contract

runner = CliRunner()

# The cases in invalid_cases.py name lines of the reference contract as first drafted: that file is
# kept, line for line, as examples/acme-dental-infeasible.yaml.
FIRST_DRAFT = REFERENCE.with_name("acme-dental-infeasible.yaml")


@pytest.fixture
def reference_text() -> str:
    return FIRST_DRAFT.read_text(encoding="utf-8")


def errors_of(text: str | bytes, name: str = "contract.yaml") -> list[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(InvalidInput) as caught:
        load_contract(name, data)
    return [str(p).removeprefix(f"{name}:") for p in caught.value.problems]


@pytest.mark.parametrize("name, old, new, expected", CASES, ids=[c[0] for c in CASES])
def test_each_edit_gives_its_exact_error(reference_text, name, old, new, expected):
    assert reference_text.count(old) == 1, "each case edits one visible place"
    assert errors_of(reference_text.replace(old, new)) == expected


def test_there_are_at_least_thirty_invalid_contracts():
    assert len(CASES) >= 30


@pytest.mark.parametrize("name, old, new, expected", CASES[:6], ids=[c[0] for c in CASES[:6]])
def test_the_command_line_prints_file_line_col_and_exits_2(tmp_path, reference_text, name, old, new, expected):
    bad = tmp_path / "bad.yaml"
    bad.write_text(reference_text.replace(old, new), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{bad}:{line}" for line in expected]


# --- Files that are not contracts at all ------------------------------------------------------

ALIAS_BOMB = """\
slagen: 1
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "1:1: error: the file is empty: a contract starts with 'slagen: 1' followed by its sections "
             "(run 'slagen init' for a starter)"),
        ("# only a comment\n\n", "1:1: error: the file is empty: a contract starts with 'slagen: 1' followed by "
                                 "its sections (run 'slagen init' for a starter)"),
        ("- agreement\n- services\n", "1:1: error: the file holds a list; a contract is a set of sections such as "
                                      "'agreement:' and 'services:'"),
        ("just some words\n", "1:1: error: the file holds a single value; a contract is a set of sections such as "
                              "'agreement:' and 'services:'"),
        # a..d expand to 10 + 91 + 820 + 7,381 values (each list 1 + 9 of the one before), e to 66,430:
        # the 20,001st value is inside e, on line 6
        (ALIAS_BOMB, "6:1: error: the file expands to more than 20,000 values through YAML aliases ('*'); "
                     "a contract is far smaller, so it was not read"),
        ("slagen: 1\nagreement: *nowhere\n", "2:12: error: the YAML is malformed here: found undefined alias "
                                             "'nowhere' (an '*' names an anchor '&' that does not exist)"),
        ("slagen: 1\nagreement: !!python/object:os.system {}\n",
         "2:12: error: the YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed in a contract; "
         "remove it (at agreement)"),
        ("slagen: 1\n[a, b]: c\n", "2:1: error: a key must be plain text, not a list or a mapping"),
        ("slagen: 1\nagreement:\n  <<: {title: x}\n", "3:3: error: merge keys ('<<') are not supported; "
                                                      "write the keys out (at agreement)"),
        ("[" * 5000, "1:1: error: the YAML is nested too deeply to be a contract"),
    ],
    ids=["empty", "comments only", "a list", "a scalar", "alias bomb", "undefined alias", "python tag",
         "complex key", "merge key", "deep nesting"],
)
def test_files_that_are_not_contracts(text, expected):
    assert errors_of(text) == [expected]


def test_binary_junk_points_at_the_first_bad_byte():
    assert errors_of(b"slagen: 1\nagreement: \xff\xfe\x00junk") == [
        "2:12: error: the file is not UTF-8 text (is it a binary file, or saved in another encoding?); "
        "save it as UTF-8"
    ]


def test_nul_bytes_in_utf8_text():
    assert errors_of(b"slagen: 1\nagree\x00ment: x\n") == [
        "2:6: error: the file contains NUL bytes: it is not a text file"
    ]


def test_a_file_saved_as_latin1_is_refused_with_advice(reference_text):
    text = reference_text.replace("Acme Dental Group Ltd", "Acme Dentál Group Ltd").encode("latin-1")
    assert errors_of(text) == [
        "22:18: error: the file is not UTF-8 text (is it a binary file, or saved in another encoding?); "
        "save it as UTF-8"
    ]


def test_several_mistakes_are_all_reported_in_one_run(reference_text):
    text = (reference_text.replace("    response: 30m", "    response: 30")
            .replace("  notice_days: 90", "  notice_days: -1")
            .replace("  currency: GBP", "  curency: GBP"))
    assert [e.split(": error")[0] for e in errors_of(text)] == ["13:3", "70:15", "139:16"]


def test_a_missing_file_and_a_folder(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml"), str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'nope.yaml'}:1:1: error: no such file",
        f"{tmp_path}:1:1: error: this is a folder, not a contract file",
    ]


def test_an_oversized_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (3 * 1024 * 1024) + b"\n")
    result = runner.invoke(app, ["validate", str(big)])
    assert result.exit_code == 2
    assert "is probably the wrong file" in result.stderr


def test_json_output_lists_every_error_with_line_column_and_path(tmp_path, reference_text):
    bad = tmp_path / "bad.yaml"
    bad.write_text(reference_text.replace("    resolution: 4h", "    resolution: 2d"), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--format", "json", str(bad)])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {
        "file": str(bad),
        "errors": [{
            "line": 71, "column": 17, "path": "priorities[0].resolution",
            "message": "'2d' counts days, which is ambiguous (calendar days or business days?): "
                       "write it in hours, for example '48h'",
        }],
    }


def test_a_real_process_never_prints_a_traceback(tmp_path):
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(bytes(range(256)) * 4)
    result = run_slagen("validate", str(junk))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{junk}:2:118: error: the file is not UTF-8 text")  # byte 0x80, after the newline at byte 10


# --- Issue 15: limits, and values that were accepted but could not work -------------------------

@pytest.mark.parametrize("name, old, new, expected", LIMIT_CASES, ids=[c[0] for c in LIMIT_CASES])
def test_each_limit_is_refused_by_the_command_line_with_exit_2(tmp_path, reference_text, name, old, new, expected):
    bad = tmp_path / "bad.yaml"
    bad.write_text(reference_text.replace(old, new), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{bad}:{line}" for line in expected]


def test_many_plain_keys_are_not_blamed_on_aliases():
    text = "slagen: 1\n" + "".join(f"key{i}: {i}\n" for i in range(60_000))
    # The root, 'slagen' and its value are 3 values; key i and its value are values 3 + 2i + 1 and
    # 3 + 2i + 2, so the 20,001st is the value of key9998, on line 9998 + 2.
    assert errors_of(text) == [
        "10000:1: error: the file holds more than 20,000 keys and values, the most a contract file may hold "
        "(a real contract has a few hundred), so it was not read: is it the right file?"
    ]


@pytest.mark.parametrize("days, hours", [("1d", "24h"), ("2d", "48h"), ("5 days", "120h"), ("P2D", "48h"),
                                         ("1w", "168h")])
def test_the_days_hint_gives_the_same_number_of_hours(reference_text, days, hours):
    text = reference_text.replace("    resolution: 4h", f"    resolution: {days}")
    assert errors_of(text) == [
        f"71:17: error: '{days}' counts days, which is ambiguous (calendar days or business days?): "
        f"write it in hours, for example '{hours}' (at priorities[0].resolution)"
    ]


def test_every_holiday_region_is_listed_with_the_closest_first(reference_text):
    from slagen.model.holiday_regions import subdivisions

    text = reference_text.replace("country: GB, subdivision: ENG", "country: IT, subdivision: XX")
    [error] = errors_of(text)
    assert error.startswith("55:40: error: 'XX' is not a region of IT with its own holidays")
    assert len(subdivisions("IT")) > 100
    assert all(f" {region}," in error or f" {region} (at" in error for region in subdivisions("IT"))


def test_the_largest_allowed_values_are_accepted(reference_text):
    """Each limit is inclusive: a contract at every upper limit at once is valid."""
    text = (reference_text
            .replace("    resolution: 72h", "    resolution: 8760h")
            .replace("  data_size_gb: 800", "  data_size_gb: 10000000")
            .replace("  restore_rate_gb_per_hour: 100", "  restore_rate_gb_per_hour: 100000")
            .replace("{tier1: 2, tier2: 1, tier3: 1}", "{tier1: 10000, tier2: 10000, tier3: 10000}")
            .replace("P3: 60", "P3: 1000000")
            .replace("  effective_date: 2027-01-01", "  effective_date: 2200-12-31")
            .replace("due_weeks: 2}", "due_weeks: 522}")
            .replace("    monthly: 5400.00", "    monthly: 1000000000000")
            .replace("  notice_days: 90", "  notice_days: 3653"))
    contract = load_contract("edge.yaml", text.encode("utf-8"))
    assert contract.staffing.technicians.tier1 == 10_000
    assert str(contract.sow.fees.monthly) == "1000000000000"


def test_a_restore_of_more_than_a_year_is_refused_though_each_number_is_in_range(reference_text):
    text = reference_text.replace("  data_size_gb: 800", "  data_size_gb: 10000000").replace(
        "  restore_rate_gb_per_hour: 100", "  restore_rate_gb_per_hour: 0.1")
    assert errors_of(text) == [
        "159:29: error: restoring 10,000,000 GB at 0.1 GB an hour would take 100,000,000 hours, more than a year "
        "(8760h): check data_size_gb and restore_rate_gb_per_hour (at infrastructure.restore_rate_gb_per_hour)"
    ]


def test_a_support_hours_target_that_would_take_a_century_is_refused(reference_text):
    # Open one minute a week: a century of support hours is 100 x 52 minutes, under 87h.
    text = reference_text.replace('monday-friday: "08:30-17:30"', 'monday: "08:30-08:31"').replace(
        "    resolution: 72h", "    resolution: 8760h")
    assert errors_of(text) == [
        "91:17: error: 8760h of support hours would take more than 100 years, as support is open only 1m a week: "
        "shorten the target, or widen support_hours.weekly (at priorities[3].resolution)"
    ]


END_OF_EXAMPLE = "change_control: Changes to scope are agreed through a change request signed by both Parties, with a revised fee schedule."


def test_page_breaks_are_limited_across_all_clause_changes(reference_text):
    # Five added clauses of 24 lines each from line 184, five page breaks in each: the fifth clause
    # (from line 280) brings the total to 25; its text is on line 283.
    clause = "  - id: c{n}\n    action: add\n    title: C\n    text: |\n" + "      a\n\n      ---\n\n" * 5
    text = reference_text.replace(END_OF_EXAMPLE, END_OF_EXAMPLE + "\nclauses:\n" + "".join(
        clause.format(n=n) for n in range(5)))
    assert errors_of(text) == [
        "283:11: error: the clause changes up to here hold 25 page breaks ('---' lines); all of them together "
        "can hold at most 20 (at clauses[4].text)"
    ]


def test_a_contract_with_hundreds_of_pages_of_text_is_refused_before_rendering(reference_text):
    item = "  - Printers, scanners and consumables, item {n} of a long list pasted by mistake into the contract file.\n"
    pasted = "".join(item.format(n=n) for n in range(4000))
    text = reference_text.replace("  - Printers, scanners and consumables.\n", pasted)
    [error] = errors_of(text)
    assert error.startswith("47:3: error: the contract holds ")
    assert error.endswith("the most in 'exclusions'; a contract can hold at most 300,000: is text pasted in by "
                          "mistake? (at exclusions)")


def test_too_many_keys_stop_the_reading_before_the_rest_of_the_file_is_parsed():
    """The count is kept as the file is parsed: a file past the limit is refused there, so a broken
    line far below it is never reached (a whole 2 MB file of keys is not parsed for nothing)."""
    text = "slagen: 1\n" + "".join(f"key{i}: {i}\n" for i in range(60_000)) + "unclosed: [a, b\n"
    assert errors_of(text) == [
        "10000:1: error: the file holds more than 20,000 keys and values, the most a contract file may hold "
        "(a real contract has a few hundred), so it was not read: is it the right file?"
    ]
