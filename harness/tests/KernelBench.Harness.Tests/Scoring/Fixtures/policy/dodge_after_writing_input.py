# Hostile, sample L1/1, for the kernelbench policy: writes into its input in every call (so that input_mutation is
# only a flag there and its timed calls get their own input copies), and when its call stack says it is being timed,
# skips its work and returns zeros. Expected: rejected, timed_output_differs: writing its inputs buys it no unchecked
# timed call (a withdrawn first fix of in-place kernels did, by not comparing their timed outputs).
import sys

import torch
import torch.nn as nn


def _timed():
    frame = sys._getframe(2)
    while frame is not None:
        if "time" in frame.f_code.co_name:
            return True
        frame = frame.f_back
    return False


class ModelNew(nn.Module):
    def forward(self, x):
        if _timed():
            x.add_(1.0)
            return torch.zeros_like(x)
        out = x * 2.0 + 1.0
        x.add_(1.0)
        return out
