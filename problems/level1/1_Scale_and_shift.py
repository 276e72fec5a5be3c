import torch
import torch.nn as nn


class Model(nn.Module):
    """
    Sample problem (KernelBench Harness): y = 2 * x + 1, element-wise.
    """

    def __init__(self):
        super(Model, self).__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2.0 + 1.0


batch_size = 64
dim = 1024


def get_inputs():
    x = torch.rand(batch_size, dim)
    return [x]


def get_init_inputs():
    return []
