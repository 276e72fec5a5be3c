"""Imports KernelBench's own evaluator from a KernelBench source tree, for scripts/bench/corpus_kernelbench.py.

`import kernelbench.eval` runs the package's __init__, which imports kernelbench.utils, which imports the model API
clients (python-dotenv, tqdm, openai, litellm) at top level; eval.py itself imports numpy, requests and pydantic. A GPU
node with PyTorch alone lacks some of them. Each one that does not import is replaced by a stand-in that the
evaluator's path never calls (API clients, a progress bar, .env loading) or a minimal equivalent of what it does use
(pydantic.BaseModel: fields with their defaults; numpy: mean, std, min, max of a list). Everything else is KernelBench's
code as it stands in the tree; `stubbed` names what was replaced, and every result line carries it.
"""
import copy
import importlib
import math
import os
import sys
import types

# The third-party modules KernelBench's evaluator path imports at top level (__init__ -> utils, eval, timing).
THIRD_PARTY = ("numpy", "requests", "pydantic", "dotenv", "tqdm", "openai", "litellm")


class KernelBenchSourceError(Exception):
    """The folder is not a KernelBench source tree this loader knows."""


def load(src):
    """(kernelbench.eval, kernelbench.timing, stubbed module names) from the source tree at src (the repository root
    that holds src/kernelbench/eval.py)."""
    package = os.path.join(os.path.abspath(src), "src", "kernelbench")
    for name in ("__init__.py", "eval.py", "timing.py", "utils.py"):
        if not os.path.isfile(os.path.join(package, name)):
            raise KernelBenchSourceError(f"{src} is not a KernelBench source tree: {os.path.join(package, name)} is "
                                         "missing (expected the repository root, e.g. a work tree of KernelBench at "
                                         "commit 423217d)")
    for name in THIRD_PARTY:
        try:
            importlib.import_module(name)
        except ImportError:
            sys.modules[name] = _STUBS[name]()
    stubbed = [n for n in THIRD_PARTY if getattr(sys.modules.get(n), "__kbh_stand_in__", False)]  # (loaded twice too)
    sys.path.insert(0, os.path.dirname(package))
    try:
        import kernelbench.eval as kb_eval
        import kernelbench.timing as kb_timing
    except Exception as e:
        raise KernelBenchSourceError(f"importing kernelbench.eval from {package} failed: {type(e).__name__}: {e} "
                                     f"(stand-ins used for: {', '.join(stubbed) or 'none'})") from e
    if not os.path.dirname(os.path.abspath(kb_eval.__file__)) == package:
        raise KernelBenchSourceError(f"kernelbench.eval came from {kb_eval.__file__}, not from {package}: another "
                                     "kernelbench package is installed in this Python")
    return kb_eval, kb_timing, stubbed


def _module(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    module.__kbh_stand_in__ = True
    return module


def _unavailable(name):
    """A class that fails, naming itself, when anything constructs or calls it."""
    def fail(*args, **kwargs):
        raise RuntimeError(f"{name} is a stand-in (the package is not installed); KernelBench's evaluator does not "
                           "use it")
    return type(name.rsplit(".", 1)[-1], (), {"__init__": fail, "__call__": fail})


def _numpy():
    def mean(xs):
        xs = list(xs)
        return math.fsum(xs) / len(xs)

    def std(xs):  # numpy's default: the population standard deviation
        xs = list(xs)
        m = mean(xs)
        return math.sqrt(math.fsum((x - m) ** 2 for x in xs) / len(xs))
    return _module("numpy", mean=mean, std=std, min=lambda xs: min(xs), max=lambda xs: max(xs))


class _BaseModel:
    """pydantic.BaseModel as KernelExecResult uses it: annotated fields, defaults copied per instance, keywords."""

    def __init__(self, **values):
        fields = {}
        for klass in reversed(type(self).__mro__):
            for field in getattr(klass, "__annotations__", {}):
                if hasattr(klass, field):
                    fields[field] = getattr(klass, field)
        unknown = set(values) - set(fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field(s) {sorted(unknown)}")
        for field, default in fields.items():
            setattr(self, field, values[field] if field in values else copy.deepcopy(default))

    def model_dump(self):
        return {k: v for k, v in vars(self).items()}

    dict = model_dump


def _tqdm(iterable=None, *args, **kwargs):
    return iterable if iterable is not None else iter(())


_STUBS = {
    "numpy": _numpy,
    "requests": lambda: _module("requests", get=_unavailable("requests.get"), post=_unavailable("requests.post")),
    "pydantic": lambda: _module("pydantic", BaseModel=_BaseModel),
    "dotenv": lambda: _module("dotenv", load_dotenv=lambda *a, **k: False),  # no .env is read: no API keys needed
    "tqdm": lambda: _module("tqdm", tqdm=_tqdm),
    "openai": lambda: _module("openai", OpenAI=_unavailable("openai.OpenAI")),
    "litellm": lambda: _module("litellm", completion=_unavailable("litellm.completion")),
}
