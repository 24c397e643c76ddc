"""Whatever a user does to a contract, the loader answers with a contract or with located errors."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REFERENCE
from slagen.errors import InvalidInput
from slagen.library.contracts import load_contract

LINES = REFERENCE.read_text(encoding="utf-8").splitlines(keepends=True)

mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, len(LINES) - 1), st.just("")),
    st.tuples(st.just("duplicate"), st.integers(0, len(LINES) - 1), st.just("")),
    st.tuples(st.just("insert"), st.integers(0, len(LINES) - 1), st.text(max_size=30)),
    st.tuples(st.just("overwrite"), st.integers(0, len(LINES) - 1), st.text(min_size=1, max_size=5)),
)


def mutate(lines: list[str], edits) -> str:
    lines = list(lines)
    for kind, index, text in edits:
        index %= len(lines)
        if kind == "delete" and len(lines) > 1:
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "insert":
            lines.insert(index, text + "\n")
        elif kind == "overwrite":
            line = lines[index]
            middle = len(line) // 2
            lines[index] = line[:middle] + text + line[middle + len(text):]
    return "".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, min_size=1, max_size=4))
def test_any_edit_gives_a_contract_or_located_errors(edits):
    text = mutate(LINES, edits)
    try:
        load_contract("edited.yaml", text.encode("utf-8", "surrogatepass"))
    except InvalidInput as invalid:
        assert invalid.problems, "an invalid file names at least one problem"
        line_count = text.count("\n") + 1
        for problem in invalid.problems:
            assert 1 <= problem.line <= line_count + 1 and problem.column >= 1
            assert problem.message and "Traceback" not in problem.message
            assert str(problem).startswith(f"edited.yaml:{problem.line}:{problem.column}: error: ")


# A valid contract, however odd its values, is checked and assembled without a crash: odd values
# that slip past validation must give findings or a located error, never an exception.
ODD_VALUES = ["0", "1", "99.99%", "100%", "0%", "24x7", "1m", "9999h", "[]", "{}", "true", "false", "P1",
              "none", "2028-02-29", '"00:00-24:00"', '"23:00-01:00"', "-1", "null"]
VALUE_LINES = [i for i, line in enumerate(LINES) if ": " in line and not line.lstrip().startswith("#")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(VALUE_LINES), st.sampled_from(ODD_VALUES)), min_size=1, max_size=3))
def test_valid_contracts_with_odd_values_are_checked_and_assembled(tmp_path_factory, edits):
    from slagen.compose.assemble import assemble
    from slagen.check.run import check_contract
    from slagen.errors import SlagenError
    from slagen.library.contracts import load_with_positions

    lines = list(LINES)
    for index, value in edits:
        lines[index] = lines[index].split(": ")[0] + ": " + value + "\n"
    path = tmp_path_factory.mktemp("odd") / "contract.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    try:
        contract, doc = load_with_positions(path)
    except InvalidInput:
        return
    for finding in check_contract(contract, doc):
        assert finding.line >= 1 and finding.message
    try:
        assemble(contract, "agreement")
        assemble(contract, "sow")
    except SlagenError as error:
        assert str(error).strip()


# Issue 15: a hostile number in any numeric place (a count, a duration, a percentage, an amount, a
# date) is refused at its line by the limits, or, if within them, checked and assembled without a
# crash; a run that took minutes before the limits (10^12 technicians, 1e-300 tickets a day)
# finishes with the rest of the suite.
HOSTILE_NUMBERS = [".inf", "-.inf", ".nan", "1e-300", "1e300", "1e26", "-0", "0.1", "99999999999999999999",
                   "9" * 5000, "99999999h", "8760h", "8761h", "1m", "0001-01-01", "9999-12-31", "2200-12-31",
                   "1990-01-01", "10000", "10001", "100000", "0"]
NUMBER = re.compile(r"\d{4}-\d\d-\d\d|\d+(?:\.\d+)?[hm%]?")
NUMBER_PLACES = [(i, m.start(), m.end()) for i, line in enumerate(LINES)
                 if ": " in line and not line.lstrip().startswith("#")
                 for m in NUMBER.finditer(line, line.index(": ")) if not line[m.start() - 1].isalnum()]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(NUMBER_PLACES), st.sampled_from(HOSTILE_NUMBERS)), min_size=1, max_size=3))
def test_hostile_numbers_are_refused_at_their_line_or_checked_without_a_crash(tmp_path_factory, edits):
    from slagen.check.run import check_contract
    from slagen.compose.assemble import assemble
    from slagen.errors import SlagenError
    from slagen.library.contracts import load_with_positions

    lines = list(LINES)
    for (index, start, end), value in sorted(edits, key=lambda e: -e[0][1]):  # right to left within a line
        if len(lines[index]) == len(LINES[index]):  # one edit per line keeps the offsets true
            lines[index] = lines[index][:start] + value + lines[index][end:]
    path = tmp_path_factory.mktemp("hostile") / "contract.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    try:
        contract, doc = load_with_positions(path)
    except InvalidInput as invalid:
        for problem in invalid.problems:
            assert 1 <= problem.line <= len(lines) + 1 and problem.column >= 1
        return
    for finding in check_contract(contract, doc):
        assert finding.line >= 1 and finding.message
    try:
        assemble(contract, "agreement")
    except SlagenError as error:
        assert str(error).strip()
