"""Page-locked host copies of what a GPU turn moves to the device: a model's weights and a problem's kept inputs.

KernelBench makes weights and inputs on the CPU, so every check copies them to the GPU inside the GPU turn, while the
other worker on that GPU waits. From ordinary (pageable) memory the driver copies through a bounce buffer: about
5.6 GB/s on an H200 node (session 8: L3/2's 8 GB of weights took 1.4 s in the turn, twice per candidate). From
page-locked memory the copy engine reads the host directly, at the bus's speed. So the weights and inputs are copied
into page-locked memory before the turn (host work, on the host cores, beside the other worker's turn) and the turn
copies from there. The values are the same bytes; only where they wait changes.

Locking pages is itself slow (about 2 GB/s on that node: session 9's first try, which allocated page-locked memory
per job, spent more host time locking than it saved on the GPU). So each worker keeps two arenas that are locked once
and reused by every job: one for the current job's weights, one for the current problem's kept inputs. An arena grows
(in steps of _GRAIN) when a larger problem comes, up to KBH_PINNED_GIB (default a tenth of the host's memory, at most
16 GiB); whatever does not fit is copied from pageable memory as before, and KBH_PINNED_GIB=0 turns staging off."""
import os

import torch

import kbh_fast_fill

_DEFAULT_CAP = 16 << 30
_ALIGN = 512  # every tensor starts on a 512-byte boundary (any dtype's view, full-speed copies)
_GRAIN = 256 << 20  # an arena grows to what is needed, rounded up to this


def limit_bytes():
    """The most bytes of each arena (weights, kept inputs): KBH_PINNED_GIB (0: off)."""
    text = os.environ.get("KBH_PINNED_GIB", "").strip()
    if text:
        try:
            return max(0, int(float(text) * (1 << 30)))
        except ValueError:
            raise ValueError(f"KBH_PINNED_GIB must be a number of GiB (0 turns staging off), not {text!r}") from None
    return min(_DEFAULT_CAP, _host_total_bytes() // 10)


def _host_total_bytes():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _pinned_bytes(n):
    return torch.empty(n, dtype=torch.uint8, pin_memory=True)


def _aligned(n):
    return -(-n // _ALIGN) * _ALIGN


def _nbytes(t):
    return t.numel() * t.element_size()


class Arena:
    """One page-locked buffer handed out front to back; reset() makes it all free again. A tensor taken from it stays
    valid until the next reset(); callers reset only when the previous tensors are no longer used."""

    def __init__(self, allocate=_pinned_bytes):
        self._allocate = allocate
        self._buffer = None
        self.used = 0
        self.allocated = 0  # bytes ever locked by this arena (its growth), for the tests and the phases

    @property
    def capacity(self):
        return 0 if self._buffer is None else self._buffer.numel()

    def reset(self):
        self.used = 0

    def reserve(self, nbytes, cap):
        """Room for nbytes more; grows the buffer (dropping the old one: only call when nothing taken is in use)
        when needed and within cap. False when nbytes cannot fit under cap."""
        need = self.used + nbytes
        if need > cap:
            return False
        if need > self.capacity:
            if self.used:  # tensors taken since the last reset live in the old buffer
                return False
            self._buffer = None
            size = min(cap, -(-need // _GRAIN) * _GRAIN)
            self._buffer = self._allocate(size)
            self.allocated += size
        return True

    def take(self, like):
        """A tensor of like's size and dtype in the arena (reserve() first)."""
        n = _nbytes(like)
        start = self.used
        self.used = start + _aligned(n)
        return self._buffer[start:start + n].view(like.dtype).view(like.size())


_weights, _inputs = Arena(), Arena()


def _stageable(t):
    return (isinstance(t, torch.Tensor) and t.device.type == "cpu" and t.is_contiguous() and t.numel() > 0
            and not t.is_pinned())


def _applies(device, arena):
    return device.type == "cuda" and (arena._allocate is not _pinned_bytes or torch.cuda.is_available())


def stage_module(model, device, arena=None):
    """Moves a module's CPU parameters and buffers into the weights arena, in place (each tensor object keeps its
    identity: `.data` is swapped, as Module.to does). The previous job's weights there must have moved on (they have:
    every job moves its model to the device or drops it). Returns the bytes staged: 0 when the device is no GPU,
    staging is off, or the tensors do not fit under limit_bytes()."""
    arena = arena or _weights
    if not isinstance(model, torch.nn.Module) or not _applies(device, arena):
        return 0
    tensors = {}
    for module in model.modules():
        for t in list(module._parameters.values()) + list(module._buffers.values()):
            if _stageable(t):
                tensors[id(t)] = t
    arena.reset()
    total = sum(_aligned(_nbytes(t)) for t in tensors.values())
    if total == 0 or not arena.reserve(total, limit_bytes()):
        return 0
    with torch.no_grad():
        for t in tensors.values():
            t.data = kbh_fast_fill.copy_into(arena.take(t), t.detach())
    return sum(_nbytes(t) for t in tensors.values())


def stage_kept(values, device, seeds=1, arena=None):
    """One seed's kept CPU inputs with their tensors in the inputs arena, while the problem's inputs fit; otherwise
    (or not for a GPU) the values as they were. seeds: how many seeds' inputs of this size the problem keeps, so the
    arena grows once for them all, at the problem's first seed."""
    arena = arena or _inputs
    if not _applies(device, arena):
        return values
    size = sum(_aligned(_nbytes(v)) for v in values if _stageable(v))
    if size == 0:
        return values
    if not arena.reserve(size * (seeds if arena.used == 0 else 1), limit_bytes()):
        if arena.used or not arena.reserve(size, limit_bytes()):
            return values
    return [kbh_fast_fill.copy_into(arena.take(v), v) if _stageable(v) else v for v in values]


def release():
    """When the worker moves to another problem (its kept inputs dropped by then): the inputs arena is free again.
    Both arenas stay locked for the next problem."""
    _inputs.reset()
