"""kbh_files: the flock that dies with its holder, whole-or-nothing writes, /proc's process tree and meminfo."""
import os
import subprocess
import sys
import textwrap
import time

import kbh_files

WORKER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_write_atomically_creates_folders_writes_all_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "a" / "b" / "file.txt"
    kbh_files.write_atomically(str(path), "first")
    kbh_files.write_atomically(str(path), "second, longer", mode=0o600, fsync=True)
    assert path.read_text() == "second, longer"
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.listdir(path.parent) == ["file.txt"]


def test_file_lock_is_exclusive_between_processes_and_reports_the_wait(tmp_path):
    lock = tmp_path / "lock"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {WORKER!r})
        import kbh_files
        with kbh_files.FileLock({str(lock)!r}):
            print("held", flush=True)
            time.sleep(0.5)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        waits = []
        start = time.monotonic()
        with kbh_files.FileLock(str(lock), on_wait=lambda: waits.append(1)) as held:
            waited_s = time.monotonic() - start
            assert held.waited
        assert waits == [1] and waited_s > 0.2
        assert holder.wait(10) == 0
    finally:
        holder.kill()
        holder.wait()


def test_file_lock_is_dropped_when_its_holder_is_killed(tmp_path):
    lock = tmp_path / "lock"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {WORKER!r})
        import kbh_files
        with kbh_files.FileLock({str(lock)!r}):
            print("held", flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    start = time.monotonic()
    with kbh_files.FileLock(str(lock)) as held:
        assert not held.waited
    assert time.monotonic() - start < 5


def test_file_lock_uncontended_does_not_wait(tmp_path):
    with kbh_files.FileLock(str(tmp_path / "lock"), on_wait=lambda: (_ for _ in ()).throw(AssertionError)) as held:
        assert not held.waited


def test_shared_locks_overlap_and_keep_an_exclusive_one_out_until_the_last_lets_go(tmp_path):
    path = str(tmp_path / "lock")
    with kbh_files.FileLock(path, shared=True), kbh_files.FileLock(path, shared=True) as second:
        assert not second.waited  # starts overlap one another
        exclusive = kbh_files.FileLock(path)
        start = time.monotonic()
        assert exclusive.acquire(0.2) is False  # a bounded wait gives up, holding nothing
        assert exclusive.waited and time.monotonic() - start >= 0.2
        exclusive.__exit__(None, None, None)  # (nothing to let go: no error)
    exclusive = kbh_files.FileLock(path)
    assert exclusive.acquire(0.2) is True
    try:
        shared = kbh_files.FileLock(path, shared=True)
        assert shared.acquire(0.05) is False  # no start begins while timed calls run
    finally:
        exclusive.__exit__(None, None, None)


def test_descendants_finds_children_and_grandchildren_children_first():
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        print(child.pid, flush=True)
        child.wait()
    """)], stdout=subprocess.PIPE, text=True)
    try:
        grandchild = int(parent.stdout.readline())
        found = kbh_files.descendants(os.getpid())
        assert parent.pid in found and grandchild in found
        assert found.index(parent.pid) < found.index(grandchild)
        assert kbh_files.descendants(parent.pid) == [grandchild]
    finally:
        for pid in kbh_files.descendants(parent.pid):
            os.kill(pid, 9)
        parent.kill()
        parent.wait()


def test_descendants_of_a_process_without_children_is_empty():
    assert kbh_files.descendants(2 ** 22 + 1) == []


def test_meminfo_bytes_reads_kilobytes_as_bytes_and_none_for_an_unknown_field():
    total = kbh_files.meminfo_bytes("MemTotal")
    available = kbh_files.meminfo_bytes("MemAvailable")
    assert total % 1024 == 0 and 0 < available <= total
    assert kbh_files.meminfo_bytes("NoSuchField") is None
    assert kbh_files.meminfo_bytes("MemTot") is None  # a prefix of a field is not that field
