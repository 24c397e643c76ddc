"""Writing a command's output files: all of them or none, never half of one, never over a device.

Regular files are written to hidden temporaries beside their targets first; only when every
temporary is complete are they renamed into place, one after another. If anything fails on the
way (a full disk, a folder where a file should go, SIGTERM), what this run put in place is taken
back: a replaced file gets its old content back, a new one is removed, and no temporary is left.
Rewriting an existing file keeps its permissions.

Targets that are not regular files are written *through*, never renamed over: ``-`` is standard
output, and character devices (``/dev/null``, ``/dev/full``, ``/dev/stdout``), pipes and sockets
receive the bytes as a stream. Renaming a temporary over ``/dev/null`` as root would replace the
machine's null device with a plain file.

A symbolic link is never replaced either: the output goes through it to what it points at. A
link to a device, pipe or socket, or into a process's descriptors (``/dev/stdout`` is a link to
``/proc/self/fd/1``, whatever the shell redirected it to) is written through as a stream; a link
to a regular file, or to nothing yet, has its target replaced atomically like any file, and the
link stays a link.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from slagen.errors import SlagenError
from slagen.source.terminal import visible

STDOUT = "-"
SIGTERM_EXIT = 128 + signal.SIGTERM  # 143, what a shell reports for a process ended by SIGTERM


class OutputError(SlagenError):
    """An output file that cannot be written: a missing or read-only folder, a full disk."""


class Terminated(SystemExit):
    """SIGTERM arrived while files were being written; raised so the rollback runs, exit 143."""

    def __init__(self) -> None:
        super().__init__(SIGTERM_EXIT)


@dataclass(frozen=True)
class Written:
    """Where one output went: a file that now exists, or a stream (stdout, a device, a pipe)."""

    path: str
    is_file: bool

    def message(self) -> str | None:
        """'wrote out/x.pdf' for a file; nothing for a stream, where no file was made."""
        return f"wrote {visible(self.path)}" if self.is_file else None


def is_stream(path: str | os.PathLike) -> bool:
    """True for ``-`` and for anything that exists and is not a regular file or a folder."""
    if str(path) == STDOUT:
        return True
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISBLK(mode)


def write_atomically(path: str | os.PathLike, data: bytes) -> Written:
    """One output: see :func:`write_all`."""
    return write_all([(path, data)])[0]


def write_all(outputs: list[tuple[str | os.PathLike, bytes]]) -> list[Written]:
    """Write every output, or none of them (raises OutputError, having undone its own work)."""
    targets = [_link_target(str(path)) for path, _ in outputs]
    twice = sorted({str(path) for (path, _), t in zip(outputs, targets) if targets.count(t) > 1})
    if twice:
        raise OutputError(f"{visible(twice[0])}: error: two outputs of this run would be written to the same "
                          "file; nothing was written")
    streaming = [target is None or is_stream(target) for target in targets]
    # Streams cannot be taken back, so they go first: if one fails, no file has been touched yet.
    for (path, data), stream in zip(outputs, streaming):
        if stream:
            _write_through(str(path), data)
    with _transaction() as transaction:
        for (path, data), target, stream in zip(outputs, targets, streaming):
            if not stream:
                transaction.stage(Path(target), data, shown=str(path))
        transaction.commit()
    return [Written(str(path), is_file=not stream) for (path, _), stream in zip(outputs, streaming)]


_MOST_LINKS = 40  # what Linux allows in one path lookup (ELOOP beyond)


def _link_target(path: str) -> str | None:
    """Where writing ``path`` really lands: the path itself, or the end of its chain of symbolic
    links; None when the chain goes into /proc (a process's descriptors: a stream to write through)."""
    if path == STDOUT:
        return None
    current = path
    for _ in range(_MOST_LINKS):
        if not os.path.islink(current):
            # realpath also follows links among the folders, which joining the names above does not
            return current if current == path else os.path.realpath(path)
        try:
            pointed = os.readlink(current)
        except OSError:
            return current
        current = os.path.normpath(os.path.join(os.path.dirname(current), pointed))
        if current == "/proc" or current.startswith("/proc/"):
            return None
    raise OutputError(f"{visible(path)}: error: too many symbolic links in a row; nothing was written")


def _write_through(path: str, data: bytes) -> None:
    try:
        if path == STDOUT:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        with open(path, "wb") as stream:  # no O_CREAT surprise: the node exists, we only write to it
            stream.write(data)
    except OSError as exc:
        name = "standard output" if path == STDOUT else visible(path)
        raise OutputError(f"{name}: error: cannot write the output: {exc.strerror or exc}") from None


@dataclass
class _Staged:
    target: Path
    temporary: Path
    backup: Path | None = None
    placed: bool = False


class _Transaction:
    """Temporaries beside each target, renamed into place together; undone on any failure."""

    def __init__(self) -> None:
        self.staged: list[_Staged] = []

    def stage(self, target: Path, data: bytes, shown: str | None = None) -> None:
        if target.is_dir():
            raise OutputError(f"{visible(shown or str(target))}: error: a folder of that name is in the way of the "
                              "output file; move it or choose another output folder; nothing was written")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as exc:
            raise OutputError(f"{visible(str(target))}: error: cannot write here: {exc.strerror or exc}; "
                              "nothing was written") from None
        staged = _Staged(target, Path(name))
        self.staged.append(staged)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(staged.temporary, _mode_for(target))
        except OSError as exc:
            raise OutputError(f"{visible(str(target))}: error: cannot write the file: {exc.strerror or exc}; "
                              "nothing was written") from None

    def commit(self) -> None:
        for staged in self.staged:
            try:
                if staged.target.exists():
                    staged.backup = _backup(staged.target)
                os.replace(staged.temporary, staged.target)
                staged.placed = True
            except OSError as exc:
                raise OutputError(f"{visible(str(staged.target))}: error: cannot write the file: "
                                  f"{exc.strerror or exc}; nothing was written") from None
        for staged in self.staged:
            _remove(staged.backup)

    def roll_back(self) -> None:
        for staged in reversed(self.staged):
            _remove(staged.temporary)
            if staged.placed:
                if staged.backup is not None:
                    _restore(staged.backup, staged.target)
                else:
                    _remove(staged.target)
            else:
                _remove(staged.backup)


def _mode_for(target: Path) -> int:
    """An existing file keeps its mode; a new one gets what the umask gives any new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _backup(target: Path) -> Path:
    """A hidden second name for the file about to be replaced, so a failure can put it back."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent)
    os.close(fd)
    backup = Path(name)
    backup.unlink()  # the name is reserved for us; the link below takes its place
    try:
        os.link(target, backup)  # cheap: the same content under a second name
    except OSError:
        shutil.copy2(target, backup)  # file systems without hard links
    return backup


def _restore(backup: Path, target: Path) -> None:
    try:
        os.replace(backup, target)
    except OSError:
        pass


def _remove(path: Path | None) -> None:
    if path is not None:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


@contextmanager
def _transaction() -> Iterator[_Transaction]:
    transaction = _Transaction()
    with _terminate_cleanly():
        try:
            yield transaction
        except BaseException:
            transaction.roll_back()
            raise


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """While files are being written, SIGTERM undoes this run's writes before the process exits."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers; callers there still roll back
        return

    def on_sigterm(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
