"""An XLSX ticket export checked before python-calamine is given it.

calamine is fast, but it trusts the workbook: it lays a sheet out as one dense block from the
first to the last cell that holds a value, and sizes its shared-string table by the count the
file states. A 1.5 KB workbook with one value in cell XFD1048576 (the last cell Excel allows)
asks it for a 17-billion-cell block, and one whose shared-string table says it holds four
billion strings asks for 96 GB; either allocation fails inside Rust, which aborts the whole
process (exit 134 and a Rust backtrace), too late for any Python handler.

So the archive's stated sizes are checked first (source.archive), then every worksheet is
streamed once, in chunks, counting only the tags that matter: rows, the cells holding a value
and their references, which give the block calamine would build; and the shared-string table's
stated counts are compared with what its bytes could hold. A workbook beyond the caps is refused
with a sentence before calamine opens it.
"""

from __future__ import annotations

import re
from pathlib import Path

from slagen.source.archive import ArchiveRefused, ZipLimits, measured_members, read_member

# A month's export of a busy service desk is thousands of rows of a few dozen columns; the caps
# are a hundred times that, and well inside what a worker may use (calamine keeps about 32
# bytes a cell of the block, so 10 million cells is about 320 MB).
LIMITS = ZipLimits(members=500, inflated=300_000_000, member=250_000_000)
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_COLUMNS = 16_384  # Excel's own limit (XFD)
MAX_CELLS = 10_000_000  # rows x columns of the block the first to the last value spans
MAX_TAG = 1 << 16  # a row or cell tag longer than this is not one Excel writes

_TAG = re.compile(rb"<(?:\w+:)?(row|c|sst)\b([^>]*)>")
_R = re.compile(rb"""\br\s*=\s*["']([^"']*)["']""")
_COUNT = re.compile(rb"""\b(?:count|uniqueCount)\s*=\s*["'](\d+)["']""")
_CELL_REF = re.compile(rb"([A-Z]{1,3})(\d{1,7})")


class WorkbookRefused(Exception):
    """The workbook is beyond the caps or damaged; the message says which, for people."""


def check_workbook(path: str | Path) -> None:
    """Refuse (WorkbookRefused) an XLSX whose sheets or shared strings are beyond the caps."""
    try:
        members = measured_members(path, LIMITS, "workbook")
        for member in members:
            name = member.filename.lower()
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_sheet(path, member)
            elif name == "xl/sharedstrings.xml":
                _check_shared_strings(path, member)
    except ArchiveRefused as exc:
        raise WorkbookRefused(str(exc)) from None


def _tags(path, member):
    """(tag name, attribute bytes, self-closing) of each row, cell and sst tag, streamed."""
    tail = b""
    for chunk in read_member(path, member):
        buffer = tail + chunk
        cut = buffer.rfind(b"<")
        if cut == -1 or buffer.find(b">", cut) != -1:  # the buffer ends between tags: all of it is whole
            whole, tail = buffer, b""
        else:
            whole, tail = buffer[:cut], buffer[cut:]
        if len(tail) > MAX_TAG:
            raise WorkbookRefused(f"the sheet {member.filename!r} holds a tag longer than {MAX_TAG} bytes; it is "
                                  "not a workbook Excel writes, so it was not opened")
        for match in _TAG.finditer(whole):
            attributes = match.group(2)
            yield match.group(1), attributes, attributes.endswith(b"/")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_sheet(path, member) -> None:
    row = column = 0
    last_row = last_column = 0
    for tag, attributes, empty in _tags(path, member):
        reference = _R.search(attributes)
        if tag == b"row":
            row = int(reference.group(1)) if reference and reference.group(1).isdigit() else row + 1
            column = 0
            if row > MAX_ROWS:
                raise _beyond(member, f"a row numbered {row:,}, beyond Excel's {MAX_ROWS:,}")
        elif tag == b"c":
            cell = _CELL_REF.fullmatch(reference.group(1)) if reference else None
            if cell:
                column, at_row = _column_number(cell.group(1)), int(cell.group(2))
            else:
                column, at_row = column + 1, max(row, 1)
            if column > MAX_COLUMNS or at_row > MAX_ROWS:
                raise _beyond(member, "a cell beyond Excel's last column or row")
            if not empty:  # a cell holding a value (an empty formatted cell is not laid out)
                last_row, last_column = max(last_row, at_row), max(last_column, column)
    if last_row * last_column > MAX_CELLS:
        raise _beyond(member, f"values as far as row {last_row:,} and column {last_column:,}, a block of "
                              f"{last_row * last_column:,} cells (at most {MAX_CELLS:,} are read)")


def _check_shared_strings(path, member) -> None:
    for tag, attributes, _ in _tags(path, member):
        if tag != b"sst":
            continue
        # Each string takes at least the five bytes of '<si/>', so the part's size bounds the count.
        most = member.file_size // 5 + 1
        for count in _COUNT.findall(attributes):
            if int(count) > min(most, MAX_CELLS):
                raise WorkbookRefused(f"the workbook's shared-string table says it holds {int(count):,} strings, "
                                      f"more than its {member.file_size:,} bytes can; it is damaged or crafted, "
                                      "so it was not opened")
        return


def _beyond(member, what: str) -> WorkbookRefused:
    return WorkbookRefused(f"the sheet {member.filename.rsplit('/', 1)[-1]!r} has {what}; that is not a ticket "
                           "export slagen reads. Export the tickets again, or as CSV")
