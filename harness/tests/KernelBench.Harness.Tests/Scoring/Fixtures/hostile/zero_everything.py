# Hostile, sample L1/1: writes into every tensor and every writable memory mapping it can find in its process
# (its inputs, anything kept), then returns zeros. Expected: incorrect or a runtime error; the judge's inputs are
# sealed and its reference lives elsewhere, so the next honest candidate is correct.
import gc
import torch
import torch.nn as nn


class ModelNew(nn.Module):
    def forward(self, x):
        for obj in gc.get_objects():
            if isinstance(obj, torch.Tensor):
                try:
                    obj.zero_()
                except Exception:
                    pass
        try:
            x.zero_()
        except Exception:
            pass
        return torch.zeros(x.shape)
