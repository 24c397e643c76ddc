"""Every mistake a user can make gets FILE:LINE:COL, words a person understands, and exit 2."""

import json

import pytest
from typer.testing import CliRunner

from conftest import REFERENCE, run_slagen
from invalid_cases import CASES
from slagen.cli import app
from slagen.errors import InvalidInput
from slagen.load import load_contract

runner = CliRunner()


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
        (ALIAS_BOMB, "7:1: error: the file expands to more than 100,000 values (through YAML aliases?); "
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
                       "write it in hours, for example '72h'",
        }],
    }


def test_a_real_process_never_prints_a_traceback(tmp_path):
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(bytes(range(256)) * 4)
    result = run_slagen("validate", str(junk))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{junk}:2:118: error: the file is not UTF-8 text")  # byte 0x80, after the newline at byte 10
