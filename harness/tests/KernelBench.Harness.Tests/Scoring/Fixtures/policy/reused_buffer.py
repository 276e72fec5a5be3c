# Sample L1/1: every call writes fresh values into one output buffer kept across calls.
import torch
import torch.nn as nn


class ModelNew(nn.Module):
    def __init__(self):
        super().__init__()
        self.out = None

    def forward(self, x):
        if self.out is None or self.out.shape != x.shape:
            self.out = torch.empty_like(x)
        torch.mul(x, 2.0, out=self.out)
        self.out.add_(1.0)
        return self.out
