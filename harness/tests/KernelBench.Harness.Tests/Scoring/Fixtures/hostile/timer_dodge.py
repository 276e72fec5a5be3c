# Hostile, sample L1/1: notices from its call stack that it is being timed and skips its work there, returning the
# output of its last correctness call (other inputs). Expected: rejected, timed_output_differs (the judge checks the
# output of a timed call it picks afterwards). A candidate that instead returned a stored output for the very inputs
# it is timed on would pass, as in KernelBench: see docs/threat-model.md.
import sys
import torch.nn as nn


def _caller_named(word):
    frame = sys._getframe(2)
    while frame is not None:
        if word in frame.f_code.co_name:
            return True
        frame = frame.f_back
    return False


class ModelNew(nn.Module):
    last = None

    def forward(self, x):
        if _caller_named("time") and ModelNew.last is not None:
            return ModelNew.last
        out = x * 2.0 + 1.0
        if _caller_named("trial"):  # remembers correctness calls only
            ModelNew.last = out
        return out
