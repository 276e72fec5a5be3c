# Sample L1/1: its "kernel" fails on the fourth call (correctness trial 3) and a fallback computes the right answer.
import torch.nn as nn


def fast_path(x, call):
    if call == 3:
        raise RuntimeError("kernel launch failed")
    return x * 2.0 + 1.0


class ModelNew(nn.Module):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def forward(self, x):
        call, self.calls = self.calls, self.calls + 1
        try:
            return fast_path(x, call)
        except RuntimeError:
            return x * 2.0 + 1.0
