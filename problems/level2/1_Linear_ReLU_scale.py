import torch
import torch.nn as nn


class Model(nn.Module):
    """
    Sample problem (KernelBench Harness): a linear layer, ReLU, then a constant scale.
    The weights come from get_init_inputs(), so reference and candidate get the same ones under one seed.
    """

    def __init__(self, in_features, out_features, scale):
        super(Model, self).__init__()
        self.linear = nn.Linear(in_features, out_features)
        self.scale = scale

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.linear(x)) * self.scale


batch_size = 64
in_features = 256
out_features = 128
scale = 0.5


def get_inputs():
    return [torch.randn(batch_size, in_features)]


def get_init_inputs():
    return [in_features, out_features, scale]
