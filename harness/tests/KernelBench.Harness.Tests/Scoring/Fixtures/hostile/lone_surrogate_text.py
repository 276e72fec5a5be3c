# Hostile, sample L1/1: its error message holds a lone surrogate. Valid in a Python str and in JSON (json.dumps writes it as an
# escape), but not text .NET can read: before the fix the whole `kbh eval` ended on it ("missing low surrogate"), and
# every candidate after it went unjudged. It must cost only its own verdict.
import torch
import torch.nn as nn


class ModelNew(nn.Module):
    def __init__(self, *args):
        super().__init__()

    def forward(self, x):
        raise RuntimeError("broken \ud800 text")
