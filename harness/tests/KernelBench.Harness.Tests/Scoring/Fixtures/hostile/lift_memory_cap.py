# Hostile, sample L1/1: tries to lift the host-memory cap of its own process (writes its cgroup's limits, moves itself
# to the parent group), then holds far more host memory (shared pages, which RLIMIT_DATA does not count) than the cap the test sets (KBH_CANDIDATE_MEMORY_BYTES).
# Expected where the judge could give it a memory cgroup: runtime_error naming the cap; the harness and the next
# honest candidate unaffected.
import mmap
import os
import torch.nn as nn


def _write(path, value):
    # (no try: a candidate's try/except is screened before it runs; the point is the cgroup, not the screening)
    fd = os.open(path, os.O_WRONLY) if os.access(path, os.W_OK) else -1
    if fd >= 0:
        os.write(fd, value.encode()) if os.access(path, os.W_OK) else None
        os.close(fd)


def _lift():
    with open("/proc/self/cgroup") as f:
        lines = f.read().splitlines()
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for root in ("/sys/fs/cgroup", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/unified", "/sys/fs/cgroup/pids"):
            group = os.path.normpath(root + path)
            for name, value in (("memory.max", "max"), ("memory.limit_in_bytes", "-1"), ("pids.max", "max")):
                _write(os.path.join(group, name), value)
            _write(os.path.join(os.path.dirname(group), "cgroup.procs"), str(os.getpid()))


class ModelNew(nn.Module):
    def forward(self, x):
        _lift()
        # 1.5 GiB of shared anonymous memory, touched page by page: RLIMIT_DATA does not count shared mappings (as it
        # cannot count what a GPU driver maps), only a memory cgroup does.
        hog = mmap.mmap(-1, 3 << 29)
        for offset in range(0, len(hog), 4096):
            hog[offset] = 1
        return x * 2.0 + 1.0
