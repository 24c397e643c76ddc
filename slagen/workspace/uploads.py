"""Uploaded files read with a size limit, so a huge upload is refused, not kept in memory."""

from __future__ import annotations

import os

from slagen.workspace.store import WorkspaceError

CHUNK = 1 << 20


def _too_big(what: str, limit: int) -> WorkspaceError:
    return WorkspaceError(f"the {what} file is larger than {limit // 1_000_000} MB; nothing was stored", 413)


async def read_upload(upload, limit: int, what: str) -> str:
    """The text of an uploaded YAML file: UTF-8, at most ``limit`` bytes."""
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(what, limit)
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise WorkspaceError(f"{upload.filename or 'the file'} is not a UTF-8 text file, so it cannot be a "
                             f"{what}", 422) from None


async def read_uploads_to_folder(form, fields: tuple[str, ...], folder: str, limit: int) -> dict[str, str]:
    """Each named upload copied to ``folder`` (the engine reads files); {field: path}."""
    paths = {}
    for field in fields:
        upload = form.get(field)
        if upload is None or isinstance(upload, str) or not upload.filename:
            continue
        import re

        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.basename(upload.filename)).strip("._") or field
        path = os.path.join(folder, f"{field}-{safe}" if field == "outages" else safe)
        size = 0
        with open(path, "wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _too_big(f"{field} export", limit)
                out.write(chunk)
        paths[field] = path
    return paths
