# Hostile, sample L1/1: wrong output (zeros), and every comparison-shaped method of Tensor patched through an alias
# the static checks cannot name, so that a comparison made in this process would call anything equal.
# Expected: incorrect (the judge compares in its own process); the patch must not reach the next candidate.
import builtins
import torch
import torch.nn as nn

T = getattr(torch, "Ten" + "sor")
_true = lambda *a, **k: torch.ones((), dtype=torch.bool)
for name in ("__eq__", "__le__", "__lt__", "__ge__", "__sub__", "all", "any", "allclose", "isclose", "equal"):
    try:
        setattr(T, name, _true)
    except (AttributeError, TypeError):
        pass
for name in ("allclose", "isclose", "equal", "all"):
    setattr(torch, name, _true)
builtins.abs = lambda x: 0
builtins.max = lambda *a, **k: 0


class ModelNew(nn.Module):
    def forward(self, x):
        return torch.zeros(x.shape)
