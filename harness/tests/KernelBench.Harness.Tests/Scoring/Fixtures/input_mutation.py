# Hack for sample L1/1: computes the right answer, then zeroes its input in place.
import torch.nn as nn

class ModelNew(nn.Module):
    def forward(self, x):
        out = x * 2.0 + 1.0
        x.zero_()
        return out
