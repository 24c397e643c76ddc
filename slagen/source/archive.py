"""A zip archive (XLSX, DOCX) measured before anything in it is unpacked.

A zip's central directory states each member's unpacked size; a small archive may claim, or
really hold, gigabytes (a "zip bomb": the same bytes deflate a thousandfold). The directory is
read first and the archive refused when it has too many members, a member or the whole would
unpack beyond the limits, or a member uses a compression the readers do not expect. Members are
then read through :func:`read_member`, which stops at the stated size, so an archive that lies
about its sizes is caught while it inflates rather than after.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


class ArchiveRefused(Exception):
    """The archive is not a zip, or is beyond the limits; the message says which, for people."""


@dataclass(frozen=True)
class ZipLimits:
    members: int
    inflated: int  # bytes, all members together
    member: int    # bytes, any one member


def measured_members(path: str | Path, limits: ZipLimits, what: str) -> list[zipfile.ZipInfo]:
    """The members of the zip at ``path``, after checking the stated sizes against ``limits``."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ArchiveRefused(f"the file is not a readable {what} (its zip archive is damaged)") from None
    if len(members) > limits.members:
        raise ArchiveRefused(f"the {what} holds {len(members)} parts, more than the {limits.members} a {what} "
                             "this workspace reads may hold, so it was not opened")
    for member in members:
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveRefused(f"the {what} uses a compression Excel and Word do not write, so it was not opened")
        if member.file_size > limits.member:
            raise ArchiveRefused(f"the {what}'s part {member.filename[:80]!r} would unpack to "
                                 f"{_megabytes(member.file_size)}, more than the {_megabytes(limits.member)} "
                                 "allowed, so it was not opened")
    inflated = sum(m.file_size for m in members)
    if inflated > limits.inflated:
        raise ArchiveRefused(f"the {what} would unpack to {_megabytes(inflated)}, more than the "
                             f"{_megabytes(limits.inflated)} allowed, so it was not opened")
    return members


def read_member(path: str | Path, member: zipfile.ZipInfo, chunk: int = 1 << 20) -> Iterator[bytes]:
    """The unpacked bytes of one member in chunks, never more than its stated size (a member that
    inflates beyond what the directory says is refused)."""
    total = 0
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
            while data := stream.read(chunk):
                total += len(data)
                if total > member.file_size:
                    raise ArchiveRefused(f"the part {member.filename[:80]!r} unpacks to more than its stated size; "
                                         "the file is damaged or crafted, so it was not opened")
                yield data
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ArchiveRefused(f"the part {member.filename[:80]!r} cannot be unpacked ({exc})") from None


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB" if size >= 1_000_000 else f"{size:,} bytes"
