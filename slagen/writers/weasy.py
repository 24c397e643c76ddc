"""Importing WeasyPrint without its library search spawning fifty processes.

WeasyPrint opens pango, harfbuzz, fontconfig and friends through cffi, trying several names for
each library (``libpango-1.0-0``, ``pango-1.0-0``, ``pango-1.0``, then ``libpango-1.0.so.0``,
...). For every name that does not open directly, cffi calls ``ctypes.util.find_library``,
which on Linux runs ``ldconfig -p``, then ``gcc`` and ``ld`` (writing scratch files in /tmp):
about 54 processes and a second or more before the first page, on every run. The names that do
open directly come later in each list (the ``.so.0``, ``.dylib`` and ``.dll`` spellings), so
while WeasyPrint loads we answer "not found" at once and let it move on to them. Should a
system need the search after all, the import is retried with it.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def _no_library_search() -> Iterator[None]:
    import ctypes.util

    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = real


def import_weasyprint():
    """The weasyprint module, loaded once per process without spawning a library search."""
    if "weasyprint" in sys.modules and "weasyprint.text.ffi" in sys.modules:
        return sys.modules["weasyprint"]
    try:
        with _no_library_search():
            import weasyprint
            import weasyprint.text.ffi  # noqa: F401 - where the libraries are opened
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]  # a partly loaded module would hide the failure next time
        import weasyprint  # with the real search, which finds unusually named libraries
    return weasyprint
