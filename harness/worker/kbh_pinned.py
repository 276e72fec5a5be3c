"""Page-locked weights and kept inputs for the copies a GPU turn makes to the device, by registering the tensors' own
memory with the CUDA driver (cuMemHostRegister) instead of copying them anywhere.

KernelBench makes weights and inputs on the CPU, so every check copies them to the GPU inside the GPU turn, while the
other worker on that GPU waits. From ordinary (pageable) memory the driver copies through a bounce buffer; from
page-locked memory the copy engine reads the host directly. Measured on an H200 node (session 9,
scripts/bench/pinned_probe.py, 8 GiB of float32 weights):
  - pageable copy: 1.34 s;
  - page-locking fresh memory: 6.7 s, then 0.21 s to copy into it and 0.16 s to the GPU (calls 1 and 2 of session 9
    staged that way, and the locking cost more host time than the turn saved);
  - registering the tensor's own pages: 0.28 s, then 0.16 s to the GPU, 0.15 s to unregister.
So a job registers its model's large tensors before the turn and unregisters them after it; a problem's kept inputs
stay registered until the worker moves to another problem. The bytes are the tensors' own, untouched. A registration
holds its tensors, so their memory is never freed (and reused) while the driver still has it locked.

The driver API is called directly: a failure there (memory already registered, a limit) leaves no error behind for
the CUDA runtime to report at a candidate's next kernel launch; the tensor is then simply copied from pageable memory.
At most KBH_PINNED_GIB (default a tenth of the host's memory, at most 16 GiB) is registered per model and per
problem's kept inputs; KBH_PINNED_GIB=0 turns registration off."""
import ctypes
import functools
import os

import torch

import kbh_files

_DEFAULT_CAP = 16 << 30
_MIN_BYTES = 1 << 20  # smaller tensors copy fast enough from pageable memory; registering costs a driver call each


def limit_bytes():
    """The most bytes registered for one model, and for one problem's kept inputs: KBH_PINNED_GIB (0: off)."""
    text = os.environ.get("KBH_PINNED_GIB", "").strip()
    if text:
        try:
            return max(0, int(float(text) * (1 << 30)))
        except ValueError:
            raise ValueError(f"KBH_PINNED_GIB must be a number of GiB (0 turns registration off), not {text!r}") from None
    return min(_DEFAULT_CAP, (kbh_files.meminfo_bytes("MemTotal") or 0) // 10)


class Driver:
    """cuMemHostRegister / cuMemHostUnregister from libcuda (the CUDA context current on this thread: torch's)."""

    def __init__(self):
        lib = ctypes.CDLL("libcuda.so.1")
        self._register = lib.cuMemHostRegister_v2
        self._register.argtypes, self._register.restype = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint], ctypes.c_int
        self._unregister = lib.cuMemHostUnregister
        self._unregister.argtypes, self._unregister.restype = [ctypes.c_void_p], ctypes.c_int

    def register(self, ptr, nbytes):
        # Kept inputs live in sealed memfds mapped read-only (kbh_check): those the driver locks only when told
        # they are read-only (CU_MEMHOSTREGISTER_READ_ONLY).
        return self._register(ptr, nbytes, 0) == 0 or self._register(ptr, nbytes, 0x08) == 0

    def unregister(self, ptr):
        self._unregister(ptr)


@functools.cache
def _default_driver():
    try:
        return Driver()
    except (OSError, AttributeError):  # no NVIDIA driver library: copies stay pageable
        return None


def _nbytes(t):
    return t.numel() * t.element_size()  # torch 1.13's tensors have no .nbytes


class Registration:
    """What one call registered: unregister it with release() once the copies that needed it are done."""

    def __init__(self, driver=None):
        self._driver = driver
        self._held = []  # (pointer, tensor): the tensor keeps its memory alive while it is registered
        self.bytes = 0

    def add(self, tensor):
        ptr, nbytes = tensor.data_ptr(), _nbytes(tensor)
        if self._driver.register(ptr, nbytes):
            self._held.append((ptr, tensor))
            self.bytes += nbytes

    def release(self):
        held, self._held, self.bytes = self._held, [], 0
        for ptr, _ in held:
            self._driver.unregister(ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()
        return False


def _candidates(tensors):
    """The large, plain, not yet page-locked CPU tensors among these, each memory range once: the driver refuses to
    register a range twice, so of tensors whose ranges overlap (a shared parameter, views into one storage) the first
    is kept."""
    large = [t.detach() for t in tensors
             if isinstance(t, torch.Tensor) and t.device.type == "cpu" and t.is_contiguous() and t.layout == torch.strided
             and _nbytes(t) >= _MIN_BYTES and not t.is_pinned()]
    kept, end = [], 0
    for t in sorted(large, key=lambda t: t.data_ptr()):
        if t.data_ptr() < end:
            continue
        end = t.data_ptr() + _nbytes(t)
        kept.append(t)
    return kept


def _limit(device, driver):
    """limit_bytes() where registration applies (a GPU device, a driver), else 0."""
    return limit_bytes() if device.type == "cuda" and driver is not None else 0


def register_module(model, device, driver=None):
    """Registers a module's large CPU parameters and buffers (nothing is copied: the tensors keep their memory and
    identity). Returns the Registration; release it after the GPU turn that moved the module over. Registers nothing
    when the device is no GPU, there is no driver, registration is off, or they are larger than limit_bytes()."""
    driver = driver or _default_driver()
    registration = Registration(driver)
    limit = _limit(device, driver) if isinstance(model, torch.nn.Module) else 0
    if limit == 0:
        return registration
    tensors = _candidates(t for m in model.modules()
                          for t in list(m._parameters.values()) + list(m._buffers.values()))
    if sum(_nbytes(t) for t in tensors) <= limit:
        for t in tensors:
            registration.add(t)
    return registration


_kept = {"registration": None}


def register_kept(values, device, driver=None):
    """Registers one seed's kept CPU inputs while the problem's kept inputs together stay within limit_bytes(); they
    stay registered until release()."""
    driver = driver or _default_driver()
    limit = _limit(device, driver)
    if limit == 0:
        return
    if _kept["registration"] is None:
        _kept["registration"] = Registration(driver)
    registration = _kept["registration"]
    tensors = _candidates(values)
    if registration.bytes + sum(_nbytes(t) for t in tensors) <= limit:
        for t in tensors:
            registration.add(t)


def kept_bytes():
    return 0 if _kept["registration"] is None else _kept["registration"].bytes


def release():
    """When the worker moves to another problem: its kept inputs are unregistered (before they are dropped)."""
    if _kept["registration"] is not None:
        _kept["registration"].release()
        _kept["registration"] = None
