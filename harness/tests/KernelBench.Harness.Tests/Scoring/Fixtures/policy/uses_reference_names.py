# Sample L1/1 using names only its problem file defines (KernelBench runs the reference's source first in the same
# namespace): the constant dim and the function get_init_inputs.
import torch.nn as nn


def scale():
    return float(len(get_init_inputs()) + 2)


class ModelNew(nn.Module):
    def forward(self, x):
        assert x.shape[1] == dim
        return x * scale() + 1.0
