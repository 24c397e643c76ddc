"""Hostile XLSX ticket exports are refused before python-calamine opens them.

The 1.5 KB workbook of the issue holds one value in cell XFD1048576, Excel's last cell: calamine
lays the sheet out densely and asks for a 17-billion-cell block, the allocation fails in Rust and
the process aborts (exit 134). A shared-string table claiming four billion strings does the same.
Both are built here, byte by byte, and must be refused with a located error, exit status 2.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from slagen.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[1]
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Ticket</t></is></c>'
          '<c r="B1" t="inlineStr"><is><t>Created</t></is></c></row>')


def workbook(path: Path, rows: str, shared_strings: str | None = None, dimension: str = "") -> Path:
    """A minimal XLSX: the parts Excel needs for one sheet, with ``rows`` as its sheetData."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                               'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                               'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                       f'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{rel}"><sheets><sheet '
                           f'name="Tickets" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                                      f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
                                      f'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{NS}">{dimension}<sheetData>{rows}'
                                    '</sheetData></worksheet>',
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def far_cell(path: Path) -> Path:
    """The issue's crashing file: a header, and one number in Excel's very last cell."""
    return workbook(path, HEADER + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def refusal(path: Path) -> str:
    from slagen.report.export_file import read_export

    with pytest.raises(InvalidInput) as caught:
        read_export(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (1, 1)
    return problem.message


def test_the_issues_crashing_workbook_is_small_and_refused(tmp_path):
    path = far_cell(tmp_path / "export.xlsx")
    assert path.stat().st_size < 2000  # the size of the issue's file: small enough for any upload limit
    message = refusal(path)
    # 1,048,576 rows x 16,384 columns = 17,179,869,184 cells
    assert "a block of 17,179,869,184 cells (at most 10,000,000 are read)" in message


def test_the_command_line_refuses_it_at_a_location_with_exit_2(tmp_path):
    from typer.testing import CliRunner

    from slagen.cli.main import app

    path = far_cell(tmp_path / "export.xlsx")
    done = CliRunner().invoke(app, ["report", str(ROOT / "examples" / "acme-dental.yaml"), "--period", "2027-03",
                                    "--tickets", str(path)])
    assert done.exit_code == 2
    assert done.output.startswith(f"{path}:1:1: error: the sheet 'sheet1.xml' has values as far as row 1,048,576")
    assert "Traceback" not in done.output and not list(tmp_path.glob("*.pdf"))


def test_a_shared_string_table_that_claims_billions_of_strings_is_refused(tmp_path):
    table = (f'<?xml version="1.0"?><sst xmlns="{NS}" count="4000000000" uniqueCount="4000000000">'
             '<si><t>Ticket</t></si></sst>')
    message = refusal(workbook(tmp_path / "sst.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', table))
    assert "says it holds 4,000,000,000 strings" in message


def test_the_block_of_cells_is_refused_just_past_its_limit_and_read_at_it(tmp_path):
    from slagen.report.workbook_bounds import MAX_CELLS, WorkbookRefused, check_workbook

    columns = 10_000  # column NTP; 1,000 rows of it make exactly the 10,000,000-cell limit
    assert 1_000 * columns == MAX_CELLS
    at_limit = workbook(tmp_path / "at.xlsx", HEADER + '<row r="1000"><c r="NTP1000"><v>1</v></c></row>')
    check_workbook(at_limit)  # no refusal
    past = workbook(tmp_path / "past.xlsx", HEADER + '<row r="1001"><c r="NTP1001"><v>1</v></c></row>')
    with pytest.raises(WorkbookRefused, match="a block of 10,010,000 cells"):
        check_workbook(past)


def test_rows_and_cells_without_references_are_counted_as_excel_places_them(tmp_path):
    from slagen.report.workbook_bounds import WorkbookRefused, check_workbook

    # Rows numbered only by their order, the last at 1,048,577: one past Excel's last row.
    rows = HEADER + '<row r="1048576"><c><v>1</v></c></row><row><c><v>2</v></c></row>'
    with pytest.raises(WorkbookRefused, match="a row numbered 1,048,577"):
        check_workbook(workbook(tmp_path / "rows.xlsx", rows))


def test_an_archive_that_unpacks_beyond_the_limit_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    from slagen.report import workbook_bounds
    from slagen.source.archive import ZipLimits

    # A sheet of 2,000,000 spaces deflates to about 2 KB; with a 1 MB limit per part it is a bomb.
    path = workbook(tmp_path / "bomb.xlsx", HEADER + " " * 2_000_000)
    assert path.stat().st_size < 10_000
    monkeypatch.setattr(workbook_bounds, "LIMITS", ZipLimits(members=500, inflated=3_000_000, member=1_000_000))
    assert "would unpack to 2.0 MB, more than the 1.0 MB allowed" in refusal(path)
    monkeypatch.setattr(workbook_bounds, "LIMITS", ZipLimits(members=500, inflated=1_500_000, member=3_000_000))
    assert "the workbook would unpack to 2.0 MB, more than the 1.5 MB allowed" in refusal(path)
    monkeypatch.setattr(workbook_bounds, "LIMITS", ZipLimits(members=3, inflated=3_000_000, member=3_000_000))
    assert "holds 5 parts, more than the 3" in refusal(path)


def test_an_ordinary_workbook_still_reads(tmp_path):
    from slagen.report.export_file import read_export

    rows = HEADER + '<row r="2"><c r="A2"><v>1001</v></c><c r="B2" t="inlineStr"><is><t>2027-03-01 09:00</t></is></c></row>'
    header, data, lines, text_of = read_export(workbook(tmp_path / "ok.xlsx", rows))
    assert header == ["Ticket", "Created"] and text_of([data[0][0]]) == ["1001"] and list(lines) == [2]
