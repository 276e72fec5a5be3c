# Hostile, sample L1/1: reaches for the judge through sys.modules, the garbage collector and stack frames: replaces any
# function called compare, zeroes every reference-looking tensor it can find, slows any module called Model, and
# returns zeros. Expected: incorrect; the judge's reference and comparison are untouched (the next honest candidate
# is correct, the next wrong one incorrect).
import gc
import sys
import time
import torch
import torch.nn as nn


def _attack():
    for module in list(sys.modules.values()):
        for attr in ("compare", "allclose", "time_pairs", "time_calls", "_check_on_device"):
            if hasattr(module, attr):
                try:
                    setattr(module, attr, lambda *a, **k: (None, 0.0, 0.0))
                except Exception:
                    pass
    for obj in gc.get_objects():
        try:
            if isinstance(obj, torch.Tensor) and obj.is_floating_point():
                obj.zero_()
            elif isinstance(obj, nn.Module) and type(obj).__name__ == "Model":
                slow = obj.forward
                obj.forward = lambda *a, _f=slow: (time.sleep(0.05), _f(*a))[1]
        except Exception:
            pass
    frame = sys._getframe()
    while frame is not None:
        for key, value in list(frame.f_locals.items()):
            if key in ("reference", "ref", "outputs") and hasattr(value, "outputs"):
                value.outputs = None
        frame = frame.f_back


_attack()


class ModelNew(nn.Module):
    def forward(self, x):
        _attack()
        return torch.zeros(x.shape)
