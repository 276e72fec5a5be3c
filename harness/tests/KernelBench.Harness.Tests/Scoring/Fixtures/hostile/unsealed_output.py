# Hostile, sample L1/1: hands its outputs back in memfds it does not seal, and forked helpers keep shrinking and
# growing them while the judge reads (a mapping of a shrunk file faults: SIGBUS in the reader).
# Expected: incorrect (an output that is not sealed is not an honest output); the judge carries on.
import os
import sys
import torch.nn as nn

_tensors = sys.modules["kbh_tensors"]
_write = _tensors.write_memfd


def write_memfd(tensor, name="kbh", seal=False):
    fd, spec = _write(tensor, name, False)
    if name == "kbh-out":
        size = tensor.numel() * tensor.element_size()
        if os.fork() == 0:
            for _ in range(100_000):
                os.ftruncate(fd, 0)
                os.ftruncate(fd, size)
            os._exit(0)
    return fd, spec


_tensors.write_memfd = write_memfd


class ModelNew(nn.Module):
    def forward(self, x):
        return x * 2.0 + 1.0
