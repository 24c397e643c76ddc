"""The DOCX package (a zip) written so that the same parts give the same bytes.

Its own module because both the document writer and the reference document builder
(:mod:`slagen.writers.reference_docx`) finish with it, and the writer also imports the builder.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def stable_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times, attributes and compression: same parts, same bytes."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, src.read(info), compresslevel=6)
    return out.getvalue()
