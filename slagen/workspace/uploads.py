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


class UploadFolder:
    """Where this server keeps uploaded ticket exports while their reports are made.

    One folder per server process (``slagen-uploads-<pid>-<random>`` in the temporary folder):
    removed when the server stops, with whatever queued report jobs never read; and at start,
    the folders of servers that are no longer running (a crash, a kill) are removed too.
    """

    PREFIX = "slagen-uploads-"

    def __init__(self, path: str):
        self.path = path

    @classmethod
    def for_this_server(cls) -> "UploadFolder":
        import tempfile

        cls.remove_abandoned(tempfile.gettempdir())
        return cls(tempfile.mkdtemp(prefix=f"{cls.PREFIX}{os.getpid()}-"))

    @classmethod
    def remove_abandoned(cls, parent: str) -> None:
        import shutil

        try:
            names = os.listdir(parent)
        except OSError:
            return
        for name in names:
            if not name.startswith(cls.PREFIX):
                continue
            pid = name[len(cls.PREFIX):].split("-", 1)[0]
            if pid.isdigit() and not _running(int(pid)):
                shutil.rmtree(os.path.join(parent, name), ignore_errors=True)

    def new_folder(self) -> str:
        """A folder for one request's exports, inside this server's."""
        import tempfile

        os.makedirs(self.path, mode=0o700, exist_ok=True)
        return tempfile.mkdtemp(prefix="report-", dir=self.path)

    def remove(self) -> None:
        import shutil

        shutil.rmtree(self.path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
