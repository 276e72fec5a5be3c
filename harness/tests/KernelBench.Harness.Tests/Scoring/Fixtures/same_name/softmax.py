# Sample L1/2, correct: a row softmax in an extension that is also called fused_op, function fused_operation.
import torch
import torch.nn as nn
from torch.utils.cpp_extension import load_inline

source = r"""
#include <torch/extension.h>
torch::Tensor fused_operation(torch::Tensor x) { return torch::softmax(x, 1); }
"""
ext = load_inline(name="fused_op", cpp_sources=source, functions=["fused_operation"], verbose=False)


class ModelNew(nn.Module):
    def forward(self, x):
        return ext.fused_operation(x)
