"""Uploaded exports kept between two posts of the report form, so a mistake never loses them.

A browser cannot put a file back into a file field, so when the report form comes back with an
error (or with the export's columns and priorities to map), the server keeps what was uploaded
and the form carries a ``staged`` token instead: the next post uses the kept files unless new
ones are chosen. Each token is a random folder under one private root made when the server
starts and removed when it stops; it belongs to the person who uploaded (another person's token
is as good as none), lives ``LIFETIME``, and a person keeps at most ``MOST_PER_USER`` of them, so
what is kept is bounded by that times the upload limit.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from pathlib import Path

from slagen.workspace.store import WorkspaceError
from slagen.workspace.uploads import CHUNK

LIFETIME = 2 * 3600  # seconds
MOST_PER_USER = 3
FIELDS = ("tickets", "outages")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,40}")
PREFIX = "slagen-staged-"


def _remove_abandoned() -> None:
    """Roots left by a server that was killed: untouched for longer than a kept file lives."""
    now = time.time()
    for root in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            if root.is_dir() and not root.is_symlink() and root.stat().st_uid == os.getuid() \
                    and now - root.stat().st_mtime > LIFETIME:
                shutil.rmtree(root, ignore_errors=True)
        except OSError:
            continue


class StagedUploads:
    def __init__(self, root: str | None = None):
        _remove_abandoned()
        self.root = Path(root or tempfile.mkdtemp(prefix=PREFIX))  # 0700: only this server reads it
        self.lock = threading.Lock()

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _folder(self, token: str) -> Path | None:
        return self.root / token if isinstance(token, str) and _TOKEN.fullmatch(token) else None

    def _owner(self, folder: Path) -> int | None:
        try:
            return json.loads((folder / "owner.json").read_text(encoding="utf-8"))["user"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def files(self, user_id: int, token: str | None) -> dict[str, Path]:
        """{field: kept file} of the user's token; {} for an unknown, expired or foreign one."""
        folder = self._folder(token or "")
        if folder is None or not folder.is_dir() or self._owner(folder) != user_id:
            return {}
        if time.time() - folder.stat().st_mtime > LIFETIME:
            shutil.rmtree(folder, ignore_errors=True)
            return {}
        found = {}
        for name in FIELDS:
            kept = [p for p in (folder / name).glob("*") if p.is_file()] if (folder / name).is_dir() else []
            if kept:
                found[name] = kept[0]
        return found

    async def keep(self, user_id: int, form, token: str | None, limit: int) -> tuple[str, dict[str, Path]]:
        """(token, {field: file}): the form's new uploads, over the files the token kept. The token
        is the user's own one when it is still good, else a new one."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)  # again, after a shutdown of an app reused
        folder = self._folder(token or "")
        if folder is not None and (not folder.is_dir() or self._owner(folder) != user_id):
            folder = None
        self._sweep(user_id, folder)
        if folder is None or not folder.is_dir():
            token = secrets.token_urlsafe(24)
            folder = self.root / token
            folder.mkdir(mode=0o700)
            (folder / "owner.json").write_text(json.dumps({"user": user_id}), encoding="utf-8")
        for name in FIELDS:
            upload = form.get(name)
            if upload is None or isinstance(upload, str) or not getattr(upload, "filename", ""):
                continue
            target = folder / name
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(mode=0o700)
            safe = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.basename(upload.filename)).strip("._")[:100] or name
            size = 0
            try:
                with open(target / safe, "wb") as out:
                    while chunk := await upload.read(CHUNK):
                        size += len(chunk)
                        if size > limit:
                            raise WorkspaceError(f"the {name} export is larger than {limit // 1_000_000} MB; "
                                                 "nothing was kept", 413)
                        out.write(chunk)
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
        os.utime(folder)  # kept for another LIFETIME from now
        return token, self.files(user_id, token)

    def discard(self, user_id: int, token: str | None) -> None:
        folder = self._folder(token or "")
        if folder is not None and folder.is_dir() and self._owner(folder) == user_id:
            shutil.rmtree(folder, ignore_errors=True)

    def _sweep(self, user_id: int, current: Path | None) -> None:
        """Expired folders go; so do the user's oldest beyond MOST_PER_USER - 1 (one is being made)."""
        with self.lock:
            now = time.time()
            mine = []
            for folder in self.root.iterdir():
                try:
                    age = now - folder.stat().st_mtime
                except OSError:
                    continue
                if age > LIFETIME:
                    shutil.rmtree(folder, ignore_errors=True)
                elif folder != current and self._owner(folder) == user_id:
                    mine.append((folder.stat().st_mtime, folder))
            for _, folder in sorted(mine)[:max(0, len(mine) - (MOST_PER_USER - 1))]:
                shutil.rmtree(folder, ignore_errors=True)


def copy_for_job(files: dict[str, Path], folder: str) -> dict[str, str]:
    """The kept files linked (or copied) into a job's own folder, which the job removes when done."""
    out = {}
    for name, path in files.items():
        target = os.path.join(folder, f"{name}-{path.name}" if name == "outages" else path.name)
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)
        out[name] = target
    return out
