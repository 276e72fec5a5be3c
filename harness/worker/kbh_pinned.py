"""Page-locked host copies of what a GPU turn moves to the device: a model's weights and a problem's kept inputs.

KernelBench makes weights and inputs on the CPU, so every check copies them to the GPU inside the GPU turn, while the
other worker on that GPU waits. From ordinary (pageable) memory the driver copies through a bounce buffer: about
5.6 GB/s on an H200 node (session 8: L3/2's 8 GB of weights took 1.4 s in the turn, twice per candidate). From
page-locked memory the copy engine reads the host directly, at the bus's speed. So the weights and inputs are copied
into page-locked memory before the turn (host work, on the host cores, beside the other worker's turn) and the turn
copies from there. The values are the same bytes; only where they wait changes.

Page-locked memory cannot be swapped or handed back cheaply: a worker stages at most KBH_PINNED_GIB (default: a
sixteenth of the host's memory, at most 16 GiB) of weights, and as much again of kept inputs; anything larger stays
where it is and is copied as before. torch keeps freed page-locked blocks for reuse (the candidates of one problem
reuse the reference's); release() hands them back when the worker moves to another problem."""
import os

import torch

import kbh_fast_fill

_DEFAULT_CAP = 16 << 30
_kept = {"bytes": 0}  # page-locked bytes held by kept inputs since the last release()


def limit_bytes():
    """The most bytes staged at once for one model, and for one problem's kept inputs: KBH_PINNED_GIB (0: off)."""
    text = os.environ.get("KBH_PINNED_GIB", "").strip()
    if text:
        try:
            return max(0, int(float(text) * (1 << 30)))
        except ValueError:
            raise ValueError(f"KBH_PINNED_GIB must be a number of GiB (0 turns staging off), not {text!r}") from None
    return min(_DEFAULT_CAP, _host_total_bytes() // 16)


def _host_total_bytes():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _pinned_empty(like):
    return torch.empty(like.size(), dtype=like.dtype, pin_memory=True)


def _stageable(t):
    return (isinstance(t, torch.Tensor) and t.device.type == "cpu" and t.is_contiguous() and t.numel() > 0
            and not t.is_pinned())


def _applies(device):
    return device.type == "cuda" and torch.cuda.is_available()


def stage_module(model, device, allocate=_pinned_empty):
    """Moves a module's CPU parameters and buffers into page-locked memory, in place (each tensor object keeps its
    identity: `.data` is swapped, as Module.to does). Returns the bytes staged: 0 when the device is no GPU, staging
    is off, or the module's tensors are larger than limit_bytes() together. allocate: the page-locked allocation (a
    seam for the CPU tests, which have no CUDA)."""
    if not isinstance(model, torch.nn.Module) or (allocate is _pinned_empty and not _applies(device)):
        return 0
    tensors = {}
    for module in model.modules():
        for t in list(module._parameters.values()) + list(module._buffers.values()):
            if _stageable(t):
                tensors[id(t)] = t
    size = sum(t.numel() * t.element_size() for t in tensors.values())
    if size == 0 or size > limit_bytes():
        return 0
    with torch.no_grad():
        for t in tensors.values():
            pinned = allocate(t)
            kbh_fast_fill.copy_into(pinned, t.detach())
            t.data = pinned
    return size


def stage_kept(values, device, allocate=_pinned_empty):
    """The kept CPU inputs of one seed, with their tensors in page-locked memory while the problem's kept inputs
    together stay within limit_bytes(); otherwise (or not for a GPU) the values as they were."""
    if allocate is _pinned_empty and not _applies(device):
        return values
    size = sum(v.numel() * v.element_size() for v in values if _stageable(v))
    if size == 0 or _kept["bytes"] + size > limit_bytes():
        return values
    _kept["bytes"] += size
    out = []
    for v in values:
        if _stageable(v):
            v = kbh_fast_fill.copy_into(allocate(v), v)
        out.append(v)
    return out


def release():
    """When the worker moves to another problem: the kept inputs are dropped by then; the page-locked blocks torch
    keeps for reuse go back to the system (torch 2.x; older ones keep them)."""
    _kept["bytes"] = 0
    empty = getattr(torch._C, "_host_emptyCache", None)
    if empty is not None and torch.cuda.is_available():
        empty()
