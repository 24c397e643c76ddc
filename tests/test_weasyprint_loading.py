"""Loading WeasyPrint starts no process: its cffi library search would otherwise run ldconfig,
gcc and ld about fifty times per render command (benchmarks/render.py measures both ways)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

COUNT_PROCESSES = """
import subprocess
started = []
real_init = subprocess.Popen.__init__
def counting_init(self, args, *rest, **kwargs):
    started.append(args)
    real_init(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = counting_init
from slagen.writers.pdf import html_to_pdf
pdf = html_to_pdf("<p>Hello</p>")
print(len(started), pdf[:5].decode())
"""


def test_rendering_a_pdf_in_a_fresh_process_starts_no_other_process():
    done = subprocess.run([sys.executable, "-c", COUNT_PROCESSES], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "%PDF-"]


def test_the_library_search_is_put_back_after_loading():
    import ctypes.util

    from slagen.writers.weasy import import_weasyprint

    before = ctypes.util.find_library
    assert import_weasyprint().__name__ == "weasyprint"
    assert ctypes.util.find_library is before
