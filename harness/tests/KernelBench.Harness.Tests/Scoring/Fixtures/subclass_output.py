# Hack for sample L1/1: returns a tensor subclass (the shape of a lazy result) instead of a plain tensor.
import torch
import torch.nn as nn

class LazyResult(torch.Tensor):
    pass

class ModelNew(nn.Module):
    def forward(self, x):
        return (x * 2.0 + 1.0).as_subclass(LazyResult)
