"""slagen/source/output.py: an output path that is a symbolic link is written through, never replaced.

`slagen report ... -o /dev/stdout` as root used to rename a temporary over `/dev/stdout` (a link to
`/proc/self/fd/1`) when the shell had redirected standard output to a file, turning the machine's
`/dev/stdout` into a plain file. These tests build the same shapes of links in a temporary folder.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from slagen.source.output import OutputError, write_all, write_atomically


def test_a_link_to_a_file_keeps_being_a_link_and_its_target_is_replaced_whole(tmp_path):
    target = tmp_path / "kept" / "report.pdf"
    target.parent.mkdir()
    target.write_bytes(b"last month")
    old_inode = target.stat().st_ino
    link = tmp_path / "latest.pdf"
    link.symlink_to(Path("kept") / "report.pdf")  # relative, as people make them
    written = write_atomically(link, b"this month")
    assert link.is_symlink() and os.readlink(link) == str(Path("kept") / "report.pdf")
    assert target.read_bytes() == b"this month"
    assert target.stat().st_ino != old_inode  # renamed into place, not rewritten in place
    assert written.is_file and written.message() == f"wrote {link}"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.pdf"]  # no temporary left


def test_a_link_to_nothing_yet_makes_its_target(tmp_path):
    link = tmp_path / "latest.pdf"
    link.symlink_to(tmp_path / "archive.pdf")
    write_all([(link, b"new")])
    assert link.is_symlink() and (tmp_path / "archive.pdf").read_bytes() == b"new"


def test_a_chain_of_links_is_followed_to_its_end(tmp_path):
    (tmp_path / "end.pdf").write_bytes(b"old")
    (tmp_path / "middle.pdf").symlink_to("end.pdf")
    (tmp_path / "start.pdf").symlink_to("middle.pdf")
    write_all([(tmp_path / "start.pdf", b"new")])
    assert (tmp_path / "start.pdf").is_symlink() and (tmp_path / "middle.pdf").is_symlink()
    assert (tmp_path / "end.pdf").read_bytes() == b"new"


def test_a_link_to_a_pipe_is_written_through_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.pdf"
    link.symlink_to(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    written = write_atomically(link, b"streamed")
    reader.join(timeout=10)
    assert received == [b"streamed"]
    assert link.is_symlink() and fifo.is_fifo()
    assert not written.is_file and written.message() is None


def test_a_link_into_a_process_descriptor_like_dev_stdout_is_written_through(tmp_path):
    # /dev/stdout -> /proc/self/fd/1; here the descriptor is a file the "shell" redirected to
    redirected = tmp_path / "redirected.pdf"
    descriptor = os.open(redirected, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{descriptor}")
        written = write_atomically(link, b"to the descriptor")
        assert link.is_symlink() and os.readlink(link) == f"/proc/self/fd/{descriptor}"
        assert redirected.read_bytes() == b"to the descriptor"
        assert not written.is_file
    finally:
        os.close(descriptor)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["redirected.pdf", "stdout"]


def test_two_links_to_one_file_are_two_outputs_onto_the_same_file(tmp_path):
    (tmp_path / "one.pdf").symlink_to("same.pdf")
    (tmp_path / "two.pdf").symlink_to("same.pdf")
    with pytest.raises(OutputError, match="two outputs of this run would be written to the same file"):
        write_all([(tmp_path / "one.pdf", b"A"), (tmp_path / "two.pdf", b"B")])
    assert not (tmp_path / "same.pdf").exists()
