# Hostile, sample L1/1: in timed calls (seen from its stack) it hands its work to raw _thread threads that finish after
# forward() returned, burning CPU the timer never sees; correctness calls compute synchronously.
# Expected: rejected (work_outside_timer from the process's CPU time, or timed_output_differs).
import _thread
import sys
import time
import torch
import torch.nn as nn


def _timed():
    frame = sys._getframe(2)
    while frame is not None:
        if "time" in frame.f_code.co_name:
            return True
        frame = frame.f_back
    return False


def _work(out, x):
    end = time.perf_counter() + 0.03
    while time.perf_counter() < end:
        pass
    out.copy_(x * 2.0 + 1.0)


class ModelNew(nn.Module):
    def forward(self, x):
        if _timed():
            out = torch.empty_like(x)
            _thread.start_new_thread(_work, (out, x))
            return out
        return x * 2.0 + 1.0
