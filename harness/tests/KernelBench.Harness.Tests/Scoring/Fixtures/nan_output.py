# Candidate for sample L1/1 that returns NaN where the reference is finite.
import torch.nn as nn

class ModelNew(nn.Module):
    def forward(self, x):
        out = x * 2.0 + 1.0
        out[0, 0] = float("nan")
        return out
