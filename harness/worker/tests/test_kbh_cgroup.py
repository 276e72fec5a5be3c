"""kbh_cgroup.leavable: a memory cap counts only where the candidate's process cannot leave its group or lift it."""
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import kbh_cgroup  # noqa: E402


def _hierarchy(tmp_path):
    parent = tmp_path / "harness"
    group = parent / "kbh-1-0"
    group.mkdir(parents=True)
    (group / "cgroup.procs").write_text("")
    (parent / "cgroup.procs").write_text("")
    return str(group / "cgroup.procs"), parent


def test_a_group_on_a_writable_mount_can_be_left_or_lifted(tmp_path):
    procs, _ = _hierarchy(tmp_path)
    assert kbh_cgroup.leavable([procs]) == "kbh-1-0"


def test_a_group_it_cannot_see_is_nothing_to_write_to(tmp_path):
    assert kbh_cgroup.leavable([str(tmp_path / "gone" / "cgroup.procs")]) == ""


@pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/usr/bin/unshare"), reason="needs root and unshare(1)")
def test_a_group_on_a_read_only_mount_holds(tmp_path):
    procs, _ = _hierarchy(tmp_path)
    # The same hierarchy, bound read-only in a mount namespace of its own: what the sandbox's remount makes.
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); import kbh_cgroup; "
             "print(repr(kbh_cgroup.leavable([sys.argv[2]])))")
    script = f'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" -c "$3" "$4" "$5"'
    out = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", str(tmp_path),
                          sys.executable, probe, os.path.dirname(kbh_cgroup.__file__), procs],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "''"
