# Sample L1/1 (y = 2x + 1) with a try/except around its computation whose handler never runs.
import torch.nn as nn


class ModelNew(nn.Module):
    def forward(self, x):
        try:
            return x * 2.0 + 1.0
        except RuntimeError:
            return x.clone()
