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

The harness is told about waits ("gpu_wait", then "gpu_acquired") so that time spent queued for the GPU does not
count against a candidate's time limit."""
import gc
import os
import re
import time

import torch

import kbh_files


class GpuTurn:
    """Context manager: holds the device's lock (no-op without a lock folder); `waited_s` says how long it queued."""

    def __init__(self, lock_dir, device, notify=None, on_release=None):
        self._lock = None
        self._notify = notify or (lambda event: None)
        self._on_release = on_release
        self.waited_s = 0.0
        if lock_dir:
            os.makedirs(lock_dir, exist_ok=True)
            name = _gpu_name(device) if device.type == "cuda" else "cpu"
            self._lock = kbh_files.FileLock(os.path.join(lock_dir, name + ".lock"),
                                            on_wait=lambda: self._notify("gpu_wait"))

    @property
    def releases_memory(self):
        """Whether leaving the turn poisons and hands back the cached memory (a lock folder and on_release given)."""
        return self._lock is not None and self._on_release is not None

    def __enter__(self):
        # A full garbage collection walks every Python object the worker holds (tens of ms with torch and a model
        # loaded): done before the turn, not while the GPU is held. Inside it, the poisoning collects only the young
        # generations (kbh_check.poison_freed_memory).
        gc.collect()
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

    def _hold(self, lock):
        start = time.perf_counter()
        lock.__enter__()
        if not lock.waited:
            return 0.0
        self._notify("gpu_acquired")
        return time.perf_counter() - start


def _gpu_name(device):
    """The physical GPU (its UUID), whatever CUDA_VISIBLE_DEVICES made its index in this process."""
    index = device.index if device.index is not None else torch.cuda.current_device()
    uuid = str(getattr(torch.cuda.get_device_properties(index), "uuid", "") or "")
    if not uuid:
        uuid = f"visible-{os.environ.get('CUDA_VISIBLE_DEVICES', 'all')}-{index}"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", uuid)
