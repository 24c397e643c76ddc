"""The JSON Schema comes from the models, is committed fresh, and accepts every example."""

import json
from datetime import date

import jsonschema
import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT, run_slagen
from slagen import __version__
from slagen.cli import app
from slagen.library.contracts import load_contract
from slagen.source.yaml_positions import read_yaml
from slagen.model.schema import schema_text

runner = CliRunner()
SCHEMA_FILE = ROOT / "schema" / "slagen.schema.json"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def as_json_data(value):
    """YAML data as a JSON document would hold it: dates become ISO text, as editors send them."""
    if isinstance(value, dict):
        return {k: as_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_data(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def test_the_committed_schema_is_the_one_the_models_generate():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), "run `make schema` and commit the result"


def test_slagen_schema_prints_it():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "slagen contract"


def test_there_are_three_examples():
    assert {f.name for f in EXAMPLE_FILES} >= {
        "acme-dental.yaml", "contoso-logistics-24x7.yaml", "small-office-minimal.yaml"
    }


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_example_names_the_schema_for_editors(example):
    assert example.read_text(encoding="utf-8").splitlines()[0] == (
        "# yaml-language-server: $schema=../schema/slagen.schema.json"
    )


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_example_satisfies_the_schema(example):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(as_json_data(read_yaml(example).data))


def test_the_schema_rejects_what_the_loader_rejects(reference_text):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = as_json_data(read_yaml("x.yaml", reference_text.replace("  currency: GBP", "  curency: GBP")).data)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert errors, "an unknown key must fail the schema too"


def test_all_examples_validate_from_the_command_line():
    result = run_slagen("validate", *map(str, EXAMPLE_FILES))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{f}: valid" for f in EXAMPLE_FILES]


def test_the_minimal_example_needs_only_the_required_sections():
    contract = load_contract(EXAMPLES / "small-office-minimal.yaml")
    assert contract.availability is None and contract.infrastructure is None and contract.sow is None


def test_init_writes_a_commented_starter_that_validates(tmp_path):
    target = tmp_path / "new.yaml"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.count("#") > 10, "the starter explains itself"
    load_contract(target)


def test_init_never_overwrites_without_force(tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("precious", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 2
    assert target.read_text(encoding="utf-8") == "precious"
    assert runner.invoke(app, ["init", str(target), "--force"]).exit_code == 0


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"slagen {__version__}"


def test_validate_stays_off_the_rendering_libraries():
    import subprocess
    import sys

    code = (
        "import sys; from slagen.cli import main; sys.argv=['slagen','validate','examples/acme-dental.yaml'];\n"
        "try: main()\nexcept SystemExit: pass\n"
        "heavy = [m for m in ('weasyprint', 'docx', 'jinja2', 'markdown_it', 'numpy') if m in sys.modules]\n"
        "print('heavy:' + ','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.splitlines()[-1] == "heavy:", out.stdout


def test_the_format_documentation_is_generated_from_the_models():
    from slagen.model.format_docs import format_markdown

    assert (ROOT / "docs" / "format.md").read_text(encoding="utf-8") == format_markdown(), (
        "run `python -m slagen.model.format_docs > docs/format.md` and commit the result"
    )
