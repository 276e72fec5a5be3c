# Sample L1/1, wrong (forgets the shift): the same extension name fused_op, another function, other code.
import torch
import torch.nn as nn
from torch.utils.cpp_extension import load_inline

source = r"""
#include <torch/extension.h>
torch::Tensor fused_operation(torch::Tensor x) { return x * 2.0; }
"""
ext = load_inline(name="fused_op", cpp_sources=source, functions=["fused_operation"], verbose=False)


class ModelNew(nn.Module):
    def forward(self, x):
        return ext.fused_operation(x)
