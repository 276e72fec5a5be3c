# Correct ReLU after the timer hacks: judged correct, by the same judge (the hacks lived and died in their own process).
import torch
import torch.nn as nn


class ModelNew(nn.Module):
    def forward(self, x):
        return torch.relu(x)
