"""Whatever a user does to a contract, the loader answers with a contract or with located errors."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REFERENCE
from slagen.errors import InvalidInput
from slagen.load import load_contract

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
