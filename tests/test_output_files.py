"""slagen/source/output.py: a command's files land all together or not at all, never over a device.

Every test lists the folder afterwards: nothing half-written, no hidden temporary, no file that
this run should have taken back.
"""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

import pytest

from slagen.source import output
from slagen.source.output import OutputError, Terminated, is_stream, write_all, write_atomically


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_new_files_are_written_and_reported_as_files(tmp_path):
    written = write_all([(tmp_path / "a.pdf", b"A"), (tmp_path / "b.pdf", b"B")])
    assert listing(tmp_path) == ["a.pdf", "b.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"A" and (tmp_path / "b.pdf").read_bytes() == b"B"
    assert [w.message() for w in written] == [f"wrote {tmp_path / 'a.pdf'}", f"wrote {tmp_path / 'b.pdf'}"]


def test_a_folder_in_the_way_of_a_later_file_leaves_nothing_written(tmp_path):
    (tmp_path / "b.pdf").mkdir()
    with pytest.raises(OutputError) as caught:
        write_all([(tmp_path / "a.pdf", b"A"), (tmp_path / "b.pdf", b"B")])
    assert str(caught.value).startswith(f"{tmp_path / 'b.pdf'}: error: a folder of that name is in the way")
    assert "nothing was written" in str(caught.value)
    assert listing(tmp_path) == ["b.pdf"]
    assert list((tmp_path / "b.pdf").iterdir()) == []


def test_a_failure_while_renaming_puts_back_the_files_already_replaced(tmp_path, monkeypatch):
    (tmp_path / "a.pdf").write_bytes(b"old A")
    real_replace = os.replace

    def replace_failing_on_b(source, target):
        if str(target).endswith("b.pdf"):
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", replace_failing_on_b)
    with pytest.raises(OutputError) as caught:
        write_all([(tmp_path / "a.pdf", b"new A"), (tmp_path / "b.pdf", b"new B")])
    assert "No space left on device" in str(caught.value)
    assert listing(tmp_path) == ["a.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"old A"


def test_rewriting_an_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "private.pdf"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert listing(tmp_path) == ["private.pdf"]


def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path):
    previous = os.umask(0o027)
    try:
        write_atomically(tmp_path / "new.pdf", b"x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.pdf").stat().st_mode) == 0o640


def test_sigterm_while_writing_removes_the_temporaries_and_exits_143(tmp_path, monkeypatch):
    (tmp_path / "a.pdf").write_bytes(b"old A")
    real_chmod = os.chmod
    calls = []

    def chmod_then_terminated(path, mode):
        real_chmod(path, mode)
        calls.append(path)
        if len(calls) == 2:  # the second file's temporary is complete: the user presses Ctrl-\ / kill
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(output.os, "chmod", chmod_then_terminated)
    with pytest.raises(Terminated) as caught:
        write_all([(tmp_path / "a.pdf", b"new A"), (tmp_path / "b.pdf", b"new B")])
    assert caught.value.code == 143
    assert listing(tmp_path) == ["a.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"old A"
    assert signal.getsignal(signal.SIGTERM) is not None  # the previous handler is back


def test_a_character_device_is_written_through_not_replaced():
    before = os.stat("/dev/null")
    written = write_atomically("/dev/null", b"discarded")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    assert written.is_file is False and written.message() is None


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="this system has no /dev/full")
def test_a_full_device_is_an_error_and_stays_a_device():
    with pytest.raises(OutputError) as caught:
        write_atomically("/dev/full", b"x" * 100_000)
    assert str(caught.value).startswith("/dev/full: error: cannot write the output: No space left on device")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_pipe_receives_the_bytes(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomically(fifo, b"through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert listing(tmp_path) == ["pipe"]


def test_dash_is_standard_output(capfdbinary):
    written = write_atomically("-", b"to stdout")
    assert capfdbinary.readouterr().out == b"to stdout"
    assert written.message() is None


def test_streams_are_recognised():
    assert is_stream("-") and is_stream("/dev/null")
    assert not is_stream("/tmp") and not is_stream("/no/such/file")


def test_the_same_target_twice_is_refused(tmp_path):
    with pytest.raises(OutputError, match="same file"):
        write_all([(tmp_path / "a.pdf", b"1"), (tmp_path / "a.pdf", b"2")])
    assert listing(tmp_path) == []


SLOW_WRITER = """
import os, sys, time
from slagen.source import output
real_chmod = os.chmod
def chmod_then_wait(path, mode):
    real_chmod(path, mode)
    print("staged", flush=True)
    time.sleep(30)  # SIGTERM arrives here, with a complete temporary beside its target
output.os.chmod = chmod_then_wait
output.write_all([(sys.argv[1] + "/a.pdf", b"new A"), (sys.argv[1] + "/b.pdf", b"new B")])
"""


def test_a_real_sigterm_leaves_the_folder_as_it_was(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a.pdf").write_bytes(b"old A")
    process = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(tmp_path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "staged\n"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 143
    assert "Traceback" not in stderr
    assert listing(tmp_path) == ["a.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"old A"
