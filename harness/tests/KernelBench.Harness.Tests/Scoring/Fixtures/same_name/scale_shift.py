# Sample L1/1, correct: its extension has the generic name fused_op (as models often write), function scale_shift.
import torch
import torch.nn as nn
from torch.utils.cpp_extension import load_inline

source = r"""
#include <torch/extension.h>
torch::Tensor scale_shift(torch::Tensor x) { return x * 2.0 + 1.0; }
"""
ext = load_inline(name="fused_op", cpp_sources=source, functions=["scale_shift"], verbose=False)


class ModelNew(nn.Module):
    def forward(self, x):
        return ext.scale_shift(x)
