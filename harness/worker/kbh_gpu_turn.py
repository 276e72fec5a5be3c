"""One GPU, several workers: each worker's GPU work (moving the model over, poisoning, correctness, timing) runs under
one lock per physical GPU, while the host-side work (constructing models with KernelBench's seeded CPU initialisation,
making CPU inputs) runs outside it. So a second worker on the same GPU prepares the next candidate while the first one
is checked, and nothing else ever runs on the GPU during a timing. With one worker per GPU the lock is never contended.
Workers judging on the CPU take turns on one lock for the machine: two CPU timings side by side would slow each other.

A launch-bound model (MobileNet, DenseNet, GRUs: thousands of small kernels) is timed at the speed of the host
thread that launches them. A second lock that kept co-workers' host work away from a timing was tried (session 4) and
removed: on an H200 it did not narrow the spread of such models' speedups (their time drifts between timing windows
whatever runs beside them; `timing_order: interleaved`, kbh_candidate._timing, cancels that), and it cost checks
1.7 s each of waiting in the throughput benchmark.

When a turn ends, the memory the worker's allocator keeps cached is poisoned and handed back to the driver
(`on_release`), so the next worker on the GPU has room for its own gigabyte-sized Level 1 tensors.

Timed calls are also kept apart from other processes' starts on the same GPU: a candidate process started ahead (a
spare, kbh_spare) creates its CUDA context, cuBLAS's and cuDNN's handles outside every turn, which is GPU work beside
whatever the other workers run (a launch-bound Level 3 network's 0.04 ms moved by up to 0.09 ms a call, session 16).
Such a start holds the device's quiet lock shared (`starting`); timed calls hold it exclusive (`GpuTurn.timed`), so
they wait for starts under way on this GPU, any worker's, and no start begins while they run. Starts do not take the
turn itself: they overlap the other workers' correctness trials and host work.

The harness is told about waits ("gpu_wait", then "gpu_acquired") so that time spent queued for the GPU does not
count against a candidate's time limit."""
import gc
import os
import re
import time

import torch

import kbh_files


QUIET_WAIT_S = 10.0  # at most, for starts under way before timed calls


class GpuTurn:
    """Context manager: holds the device's lock (no-op without a lock folder); `waited_s` says how long it queued."""

    def __init__(self, lock_dir, device, notify=None, on_release=None, quiet_dir=None, settle=None, ended=None):
        """quiet_dir: where the device's quiet lock lives (see `timed`); none: timed calls wait for no start.
        settle(limit_s): waits for this worker's own starts under way that hold no lock (its fork servers' imports).
        ended(): waits for this worker's candidate processes still ending (their memory and their CUDA teardown),
        returns the seconds waited; counted in waited_s."""
        self._settle = settle
        self._ended = ended
        self._lock = None
        self._notify = notify or (lambda event: None)
        self._on_release = on_release
        self.waited_s = 0.0
        if lock_dir:
            os.makedirs(lock_dir, exist_ok=True)
            self._lock = kbh_files.FileLock(os.path.join(lock_dir, _lock_name(device) + ".lock"),
                                            on_wait=lambda: self._notify("gpu_wait"))
        self._quiet = _quiet_path(quiet_dir, device)

    @property
    def releases_memory(self):
        """Whether leaving the turn poisons and hands back the cached memory (a lock folder and on_release given)."""
        return self._lock is not None and self._on_release is not None

    def __enter__(self):
        # A full garbage collection walks every Python object the worker holds (tens of ms with torch and a model
        # loaded): done before the turn, not while the GPU is held. Inside it, the poisoning collects only the young
        # generations (kbh_check.poison_freed_memory).
        gc.collect()
        if self._ended is not None:
            self.waited_s += self._ended()
        if self._lock is not None:
            self.waited_s += self._hold(self._lock)
        return self

    def __exit__(self, *exc):
        if self._lock is not None:
            try:
                if self._on_release is not None:
                    self._on_release()
            finally:
                self._lock.__exit__(*exc)
        return False

    def timed(self, limit_s=QUIET_WAIT_S):
        """Around timed calls, as a context manager (a `Bounded`): no other process's start on this GPU runs beside
        them. Waits at most limit_s for starts under way (a start that hangs must not hold up every worker)."""
        return Bounded(self._quiet, shared=False, limit_s=limit_s, before=self._settle)

    def _hold(self, lock):
        start = time.perf_counter()
        lock.__enter__()
        if not lock.waited:
            return 0.0
        self._notify("gpu_acquired")
        return time.perf_counter() - start


def starting(quiet_dir, device, limit_s=QUIET_WAIT_S):
    """A process's start on the device (its CUDA context and libraries), as a context manager (a `Bounded`): never
    beside timed calls on it (see `GpuTurn.timed`); several starts may overlap one another. Waits at most limit_s for
    timed calls under way, then starts anyway. A no-op without quiet_dir."""
    return Bounded(_quiet_path(quiet_dir, device), shared=True, limit_s=limit_s)


class Bounded:
    """The quiet lock (at path; none: a no-op) held for a block, if it comes within limit_s: `held` says whether it
    did, `waited_s` how long the block waited for it (the judge's wait, never the candidate's time).

    Timed calls come first: an flock lets new shared holders in while an exclusive one waits, so with three or four
    lanes' starts overlapping, timed calls could wait out their whole limit. A gate beside the lock fixes the order:
    a timed call holds it exclusive while it waits, and a start passes through it (shared, let go at once) before
    taking the lock, so no start begins while a timed call is waiting."""

    def __init__(self, path=None, shared=False, limit_s=QUIET_WAIT_S, before=None):
        """before(limit_s): run first, within the same limit and counted in waited_s."""
        self._before = before
        self._lock = kbh_files.FileLock(path, shared=shared) if path else None
        self._gate = kbh_files.FileLock(path + ".gate", shared=shared) if path else None
        self._shared = shared
        self._limit_s = limit_s
        self.waited_s = 0.0
        self.held = True

    def __enter__(self):
        if self._before is None and self._lock is None:
            return self  # (nothing to wait for)
        start = time.perf_counter()
        if self._before is not None:
            self._before(self._limit_s)
        if self._lock is not None:
            gated = self._gate.acquire(max(0.0, self._limit_s - (time.perf_counter() - start)))
            if self._shared:
                self._gate.__exit__(None, None, None)
            left = max(0.0, self._limit_s - (time.perf_counter() - start))
            try:
                self.held = gated and self._lock.acquire(left)
            finally:
                self._gate.__exit__(None, None, None)  # (a timed call lets the gate go once it holds the lock)
        self.waited_s = time.perf_counter() - start
        return self

    def __exit__(self, *exc):
        if self._lock is not None:
            self._lock.__exit__(*exc)
        return False


def _quiet_path(quiet_dir, device):
    if not quiet_dir:
        return None
    os.makedirs(quiet_dir, exist_ok=True)
    return os.path.join(quiet_dir, _lock_name(device) + ".quiet.lock")


def _lock_name(device):
    return _gpu_name(device) if device.type == "cuda" else "cpu"


def _gpu_name(device):
    """The physical GPU (its UUID), whatever CUDA_VISIBLE_DEVICES made its index in this process."""
    index = device.index if device.index is not None else torch.cuda.current_device()
    uuid = str(getattr(torch.cuda.get_device_properties(index), "uuid", "") or "")
    if not uuid:
        uuid = f"visible-{os.environ.get('CUDA_VISIBLE_DEVICES', 'all')}-{index}"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", uuid)
