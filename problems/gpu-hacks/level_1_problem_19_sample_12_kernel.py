# Correct ReLU after the GPU memory hog (sample 11): judged correct by the same judge, its memory back.
import torch
import torch.nn as nn


class ModelNew(nn.Module):
    def forward(self, x):
        return torch.relu(x)
