# Hostile, sample L2/1: replaces torch.relu and F.relu globally at import (the reference uses torch.relu) with a wrong
# function, and computes with it. In a shared interpreter the reference would agree with it.
# Expected: incorrect.
import torch
import torch.nn as nn
import torch.nn.functional as F

_wrong = lambda x, *a, **k: x.abs()
torch.relu = _wrong
F.relu = _wrong
torch.Tensor.relu = _wrong


class ModelNew(nn.Module):
    def __init__(self, in_features, out_features, scale):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)
        self.scale = scale

    def forward(self, x):
        return torch.relu(self.linear(x)) * self.scale
