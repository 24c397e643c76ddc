"""Words a new provider reads: counts, articles, holiday names, brand spellings, the format's meanings,
and the password prompt of `slagen users add`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import typer

from conftest import ROOT
from slagen.source.words import article, count, plural


@pytest.mark.parametrize("number, noun, expected", [
    (1, "technician", "1 technician"), (3, "technician", "3 technicians"), (0, "item", "0 items"),
    (1, "feasibility error", "1 feasibility error"), (2, "feasibility error", "2 feasibility errors"),
    (2, "box", "2 boxes"), (2, "policy", "2 policies"), (2, "day", "2 days"), (2, "info", "2 info"),
    (1_500, "ticket", "1,500 tickets"), (2, "other session", "2 other sessions"),
])
def test_a_count_agrees_with_its_number(number, noun, expected):
    assert count(number, noun) == expected


def test_the_article_follows_the_sound():
    assert article("account manager") == "an account manager"
    assert article("administrator") == "an administrator"
    assert article("legal reviewer") == "a legal reviewer"
    assert article("user") == "a user"  # a vowel letter that sounds like 'y'
    assert plural("tier-1 technician") == "tier-1 technicians"


def test_no_message_or_page_says_s_in_brackets():
    """'1 feasibility error(s)', '3 item(s) block approval': counts go through slagen.source.words."""
    import io
    import tokenize

    offenders = []
    pages = [*(ROOT / "slagen" / "workspace" / "templates").glob("*.html"),
             *(p for p in (ROOT / "slagen" / "workspace" / "static").glob("*.js") if p.name != "editor.js")]
    for path in pages:  # editor.js is the bundled CodeMirror editor, not slagen's words
        offenders += [f"{path.name}: {m[0]}" for m in re.finditer(r"\w+\(s\)", path.read_text(encoding="utf-8"))]
    for path in (ROOT / "slagen").rglob("*.py"):
        if path.name == "words.py":
            continue
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        for token in tokens:  # in the strings only: 'len(s)' in code is a call
            if token.type in (tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)) and re.search(r"\w\(s\)", token.string):
                offenders.append(f"{path.relative_to(ROOT)}:{token.start[0]}: {token.string}")
    assert offenders == []


def test_a_role_is_named_with_its_article_in_a_refusal():
    from slagen.workspace.access import Forbidden  # noqa: F401 (the refusal's type)

    source = (ROOT / "slagen" / "workspace" / "access.py").read_text(encoding="utf-8")
    assert 'f"a {ROLE_NAMES' not in source and "article(ROLE_NAMES[user.role])" in source
    from slagen.workspace.roles import ROLE_NAMES

    assert article(ROLE_NAMES["account_manager"]) + " may not do this" == "an account manager may not do this"


def test_holiday_names_are_printed_as_the_holidays_package_spells_them():
    """slagen prints the package's names unchanged: Texas's 19 June is 'Emancipation Day In Texas'
    because the package writes it so (holidays 0.109), not because slagen title-cases anything."""
    import holidays

    from slagen.model.holiday_choice import printed_names

    printed = printed_names("US", "TX", range(2027, 2028))
    package = holidays.country_holidays("US", subdiv="TX", years=2027)
    assert set(printed) == set(package)
    for day, names in package.items():
        assert printed[day] == " and ".join(part.strip() for part in names.split(";"))
    assert "Juneteenth National Independence Day" in printed[date(2027, 6, 19)]


def test_every_key_of_the_format_has_a_meaning_in_docs_format_md():
    rows = [line for line in (ROOT / "docs" / "format.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `")]
    assert len(rows) > 150
    empty = [row.split("|")[1].strip() for row in rows if row.rstrip().endswith("|  |")]
    assert empty == []
    staffing = (ROOT / "docs" / "format.md").read_text(encoding="utf-8").split("## Staffing", 1)[1].split("## ", 1)[0]
    assert "| `on_call_out_of_hours` | true or false |  | Whether a technician is on call" in staffing


# --- brand.yaml in US spelling -------------------------------------------------------------------

def brand_file(tmp_path: Path, text: str) -> Path:
    from slagen.library.initialise import init_library

    init_library(tmp_path / "house", "House", "1.0.0")
    path = tmp_path / "house" / "contract_templates" / "brand.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_brand_yaml_reads_us_spellings_as_the_british_keys(tmp_path):
    from slagen.library.brand import load_brand

    brand = load_brand(brand_file(tmp_path, 'primary_color: "#112233"\naccent_color: "#445566"\n'
                                            "cover_layout: centered\n"))
    assert (brand.primary_colour, brand.accent_colour, brand.cover_layout) == ("112233", "445566", "centred")


def test_a_misspelt_brand_key_gets_a_did_you_mean_and_both_spellings_at_once_are_refused(tmp_path):
    from slagen.library.brand import BrandError, load_brand

    path = brand_file(tmp_path, 'primary_colr: "#112233"\n')
    with pytest.raises(BrandError) as caught:
        load_brand(path)
    assert str(caught.value).startswith(f"{path}:1:15: error: unknown key 'primary_colr'; did you mean "
                                        "'primary_colour'?")
    path.write_text('primary_colour: "#112233"\nprimary_color: "#445566"\n', encoding="utf-8")
    with pytest.raises(BrandError) as caught:
        load_brand(path)
    assert "'primary_color' and 'primary_colour' are the same setting; give it once" in str(caught.value)


# --- slagen users add ----------------------------------------------------------------------------

def test_users_add_says_a_password_is_too_short_before_asking_for_it_again(monkeypatch, capsys):
    from slagen.cli import workspace

    asked = []

    def prompt(text, hide_input=False):
        asked.append(text)
        return "short"

    monkeypatch.setattr(typer, "prompt", prompt)
    with pytest.raises(typer.Exit) as stopped:
        workspace.ask_new_password()
    assert stopped.value.exit_code == 2
    assert asked == ["Password"]
    assert "too short: use at least 10 characters; nobody was added" in capsys.readouterr().err


def test_users_add_asks_twice_for_a_long_enough_password(monkeypatch):
    from slagen.cli import workspace

    answers = iter(["a long passphrase", "a long passphrase"])
    monkeypatch.setattr(typer, "prompt", lambda text, hide_input=False: next(answers))
    assert workspace.ask_new_password() == "a long passphrase"
