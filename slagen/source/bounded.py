"""Reading an input file with a hard cap on the bytes read.

A file's reported size cannot be trusted: ``/dev/zero``, a pipe or ``/proc`` files report 0 and
never end (or end far later than their size says). So the cap is enforced on what is actually
read: at most ``limit + 1`` bytes, and one byte more than the limit means "too large".
"""

from __future__ import annotations

import os
from pathlib import Path

_CHUNK = 64 * 1024


class TooLarge(Exception):
    """The file holds more than the limit allows (it was not read to its end)."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


def read_bounded(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of ``path``, or TooLarge once more than ``limit`` bytes have been read.

    OSError (missing file, a folder, permission denied) passes through for the caller to word.
    """
    chunks: list[bytes] = []
    total = 0
    with Path(path).open("rb") as stream:
        while total <= limit:
            chunk = stream.read(min(_CHUNK, limit + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
    raise TooLarge(limit)
