# Candidate for sample L1/1 that loads but fails in forward.
import torch.nn as nn

class ModelNew(nn.Module):
    def forward(self, x):
        return undefined_helper(x)
