"""The worker's own references to every function its comparison and timer use, taken before any candidate code runs.

A candidate that replaces torch.allclose, torch.cuda.Event, time.perf_counter ... changes nothing we compute (we call the
saved objects), and `patched()` names every replacement so the verdict can reject it.
"""
import os
import threading
import time

import torch

# (owner, attribute) pairs whose replacement is a timing or comparison hack.
_WATCHED = [
    (torch, "allclose"), (torch, "isclose"), (torch, "equal"), (torch, "abs"), (torch, "max"), (torch, "mean"),
    (torch, "isfinite"), (torch, "isnan"), (torch, "manual_seed"), (torch, "randn"), (torch, "rand"),
    (torch.Tensor, "clone"), (torch.Tensor, "__sub__"), (torch.Tensor, "item"), (torch.Tensor, "to"),
    (torch.cuda, "Event"), (torch.cuda, "synchronize"), (torch.cuda, "current_stream"),
    (torch.cuda.Event, "record"), (torch.cuda.Event, "elapsed_time"), (torch.cuda.Event, "synchronize"),
    (time, "perf_counter"), (time, "time"), (time, "monotonic"),
]


def _snapshot():
    return {f"{getattr(o, '__name__', repr(o))}.{a}": getattr(o, a, None) for o, a in _WATCHED}


SAVED = _snapshot()

# The functions the worker itself calls.
allclose = torch.allclose
equal = torch.equal
isfinite = torch.isfinite
abs_ = torch.abs
perf_counter = time.perf_counter
Event = torch.cuda.Event
synchronize = torch.cuda.synchronize
manual_seed = torch.manual_seed
clone = torch.Tensor.clone
active_threads = threading.active_count


def patched():
    """Names of watched functions that are no longer the objects saved at start-up (torch's own lazy wraps aside,
    until retake() has seen them)."""
    now = _snapshot()
    return sorted(name for name, fn in SAVED.items()
                  if now[name] is not fn and not (_exempt_torch_wraps and _torch_wrap(now[name], fn)))


_exempt_torch_wraps = True


def retake():
    """Saves the watched functions again: only before any candidate code has run in this process, once the modules
    that wrap some of them (torch._dynamo) are imported. From then on no wrapper is taken for torch's own."""
    global SAVED, _exempt_torch_wraps
    SAVED = _snapshot()
    _exempt_torch_wraps = False


_TORCH_DIR = os.path.dirname(torch.__file__) + os.sep


def _torch_wrap(fn, saved):
    """torch replaces some of these itself when a submodule is first imported: importing torch._dynamo (torch.compile,
    the profiler, triton) wraps torch.manual_seed in _disable_dynamo, whose __wrapped__ is the original. Such a
    wrapper, with code in torch's own package, is not a candidate's patch. (A candidate could forge one; the judge
    calls its saved copies either way, so this finding is a flag for researchers, never what a verdict's numbers
    rest on: docs/threat-model.md.)"""
    for _ in range(4):
        code = getattr(fn, "__code__", None)
        if code is None or not code.co_filename.startswith(_TORCH_DIR):
            return False
        fn = getattr(fn, "__wrapped__", None)
        if fn is saved:
            return True
    return False
