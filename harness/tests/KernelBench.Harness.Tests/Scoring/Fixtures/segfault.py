# Candidate for sample L1/1 that crashes the worker with a segmentation fault.
import ctypes
import torch.nn as nn

class ModelNew(nn.Module):
    def forward(self, x):
        ctypes.string_at(0)
        return x * 2.0 + 1.0
