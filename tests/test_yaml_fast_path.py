"""Contracts are composed by libyaml (ruamel.yaml.clib) when it is safe to, and by ruamel's pure
Python parser otherwise; the two must read every text the same way: the same values at the same
lines and columns, and the same refusal, worded and located the same, for every mistake.

The pure parser is the reference (it was the only one before); these tests hold the C path to it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from slagen.errors import InvalidInput
from slagen.source import yaml_positions

ROOT = Path(__file__).resolve().parent.parent


def test_libyaml_is_installed_with_slagen():
    assert yaml_positions._CParser is not None  # ruamel.yaml.clib, a dependency in pyproject.toml


def read(text: str, *, c: bool):
    """What read_yaml makes of ``text`` by one parser: (data, value positions, key positions) or the problems."""
    saved = yaml_positions._CParser
    if not c:
        yaml_positions._CParser = None
    try:
        doc = yaml_positions.read_yaml("contract.yaml", text)
        return doc.data, doc.value_at, doc.key_at
    except InvalidInput as exc:
        return [(p.line, p.column, p.path, p.message) for p in exc.problems]
    finally:
        yaml_positions._CParser = saved


def shipped_yaml() -> list[Path]:
    return sorted(p for folder in ("examples", "starters", "tests/data", "law", "policy.yaml")
                  for p in ([ROOT / folder] if folder.endswith(".yaml") else (ROOT / folder).rglob("*.y*ml"))
                  if p.is_file())


def test_every_shipped_file_reads_the_same_by_either_parser():
    files = shipped_yaml()
    assert len(files) > 40
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert read(text, c=True) == read(text, c=False), path


def test_the_fast_path_is_the_one_taken_for_an_ordinary_contract(monkeypatch):
    text = (ROOT / "examples" / "acme-dental.yaml").read_text(encoding="utf-8")
    taken = []
    monkeypatch.setattr(yaml_positions, "_compose_in_python",
                        lambda *a: taken.append("python") or (_ for _ in ()).throw(AssertionError("pure path")))
    yaml_positions.read_yaml("acme.yaml", text)
    assert taken == []


def mutations(text: str, count: int, seed: int) -> list[str]:
    """Texts one keystroke away from ``text``: a character deleted, or one of YAML's own
    characters typed somewhere, as an account manager editing by hand would."""
    rng = random.Random(seed)
    typed = [":", "-", "[", "]", "{", "}", "'", '"', "\t", "#", "&a ", "*a", "!!", "|", ">", "%", "@", "`", ",", "?",
             " ", "\n", "  ", "\u00a0", "\x07"]
    out = []
    for _ in range(count):
        at = rng.randrange(len(text))
        if rng.random() < 0.4:
            out.append(text[:at] + text[at + 1:])
        else:
            out.append(text[:at] + rng.choice(typed) + text[at:])
    return out


def test_five_hundred_mistakes_are_read_and_refused_alike_by_either_parser():
    text = (ROOT / "examples" / "acme-dental.yaml").read_text(encoding="utf-8")
    for mistaken in mutations(text, 500, seed=20271):
        assert read(mistaken, c=True) == read(mistaken, c=False), repr(mistaken)


def test_times_in_flow_mappings_are_read_as_text_as_before():
    # libyaml refuses '08:00' unquoted inside { } (a YAML 1.1 rule); the pure parser reads it.
    text = "slagen: 1\nsupport_hours: {monday: 08:00-18:00}\n"
    assert read(text, c=True) == read(text, c=False)
    assert read(text, c=True)[0] == {"slagen": 1, "support_hours": {"monday": "08:00-18:00"}}


@pytest.mark.parametrize("deep", ["a: " + "[" * 5000 + "]" * 5000 + "\n",
                                  "".join(" " * n + f"k{n}:\n" for n in range(3000)) + " " * 3000 + "v: 1\n",
                                  "- " * 3000 + "x\n"])
def test_deep_nesting_goes_the_pure_way_and_is_refused_in_words(deep):
    assert not yaml_positions._shallow(deep)
    problems = read(deep, c=True)
    assert problems == read(deep, c=False)
    assert isinstance(problems, list) and problems


def test_too_many_values_is_the_pure_parsers_refusal_at_the_same_key():
    text = "slagen: 1\nnotes:\n" + "".join(f"  k{n}: {n}\n" for n in range(21_000))
    assert len(text) < yaml_positions.C_TEXT_LIMIT * 2
    refusal = read(text, c=True)
    assert refusal == read(text, c=False)
    [(line, column, _, message)] = refusal
    assert (line, column) == (2, 1) and "more than 20,000 keys and values" in message
