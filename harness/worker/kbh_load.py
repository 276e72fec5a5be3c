"""Loading problem and candidate sources as modules, with KernelBench's seeding and precision rules."""
import contextlib
import random
import sys
import time
import types

import torch
import torch.utils.cpp_extension as cpp_extension

import kbh_guard

PRECISIONS = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}


class BuildFailed(Exception):
    """A load_inline/load call failed: the compiler's complaint is in the message."""


class ExtensionTracker:
    """Wraps cpp_extension.load_inline/load so the worker knows how many extensions a candidate built, of which kind,
    how long it took, and that a failure there is a compile error rather than a runtime one."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.kinds = set()
        self.sources = []  # the source texts its calls built (kbh_kernels finds the candidate's kernels in them)
        self._inline = cpp_extension.load_inline
        self._load = cpp_extension.load
        cpp_extension.load_inline = self._wrap(self._inline, inline=True)
        cpp_extension.load = self._wrap(self._load, inline=False)

    def _wrap(self, fn, inline):
        tracker = self

        def wrapper(*args, **kwargs):
            cuda = bool(kwargs.get("cuda_sources")) if inline else any(
                str(s).endswith(".cu") for s in (kwargs.get("sources") or (args[1] if len(args) > 1 else [])))
            tracker.kinds.add("cuda" if cuda else "cpp")
            tracker.sources.extend(_texts(args, kwargs, inline))
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            except Exception as e:  # the build failed: keep the compiler's words
                raise BuildFailed(f"{type(e).__name__}: {e}") from e
            finally:
                tracker.count += 1
                tracker.seconds += time.perf_counter() - start

        return wrapper


def _texts(args, kwargs, inline):
    """The source texts of a load_inline call (strings or lists of them), or of a load call's files."""
    texts = []
    if inline:
        for i, key in ((1, "cpp_sources"), (2, "cuda_sources")):
            value = kwargs.get(key, args[i] if len(args) > i else None)
            texts += [value] if isinstance(value, str) else [v for v in value or [] if isinstance(v, str)]
        return texts
    for path in kwargs.get("sources") or (args[1] if len(args) > 1 else []):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                texts.append(f.read(4 << 20))
        except (OSError, TypeError):
            pass
    return texts


def set_seed(seed):
    kbh_guard.manual_seed(seed)
    random.seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def exec_module(name, source, path, prelude=None):
    """Runs a source file as a fresh module (registered in sys.modules so dataclasses/pickling work).
    prelude: (source, path) run first in the same module, as KernelBench runs the reference before the candidate."""
    module = types.ModuleType(name)
    module.__file__ = path
    sys.modules[name] = module
    if prelude is not None:
        exec(compile(prelude[0], prelude[1], "exec"), module.__dict__)
    exec(compile(source, path, "exec"), module.__dict__)
    return module


def to_device(values, device, dtype=None):
    out = []
    for v in values:
        if isinstance(v, torch.Tensor):
            v = v.to(device)
            if dtype is not None and v.is_floating_point():
                v = v.to(dtype)
        out.append(v)
    return out


def construct_model(cls, init_inputs, seed, memo_context=None):
    """KernelBench: seed, then construct from get_init_inputs(), so two modules built the same way share weights. Host
    side only (KernelBench initialises weights on the CPU); place_model moves the result to the device.
    memo_context: kbh_init_memo's recording() or replaying(), around the construction."""
    with torch.no_grad(), (memo_context or contextlib.nullcontext()):
        set_seed(seed)
        return cls(*init_inputs)


def place_model(model, device, dtype):
    """The module moved to the device and cast to the run's precision (dtype None: fp32), as KernelBench's
    `.to(device=device, dtype=precision)` does to both models whatever the precision: a candidate that made its own
    weights half in __init__ computes with fp32 weights in both flows (CUDA-L1's L3/11 failed in KernelBench's evaluator
    and passed in kbh before, session 16). Only floating-point parameters and buffers are cast."""
    if isinstance(model, torch.nn.Module):
        model = model.to(device=device, dtype=dtype or torch.float32)
    return model


COMPILE_MODES = ("default", "reduce-overhead", "max-autotune", "max-autotune-no-cudagraphs")


class Unsupported(Exception):
    """A setting this worker's PyTorch cannot honour: the harness reports it once, as a bad input, not per problem."""


def compile_model(model, mode):
    """torch.compile with inductor in one of KernelBench's baseline modes (baseline_time_torch_compile_inductor_<mode>)."""
    if not hasattr(torch, "compile"):
        raise Unsupported(f"torch.compile needs PyTorch 2.0 or newer; this worker's Python has torch {torch.__version__}")
    if mode not in COMPILE_MODES:
        raise Unsupported(f"compile mode {mode!r}: expected one of {', '.join(COMPILE_MODES)}")
    return torch.compile(model, backend="inductor", mode=None if mode == "default" else mode)


def trial_seeds(seed, n):
    """KernelBench derives one seed per correctness trial from the base seed."""
    kbh_guard.manual_seed(seed)
    return [int(torch.randint(0, 2 ** 32 - 1, (1,)).item()) for _ in range(n)]
