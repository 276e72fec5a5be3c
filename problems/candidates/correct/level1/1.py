# Correct candidate for sample problem L1/1: a C++ CPU kernel built with torch.utils.cpp_extension.load_inline.
import torch
import torch.nn as nn
from torch.utils.cpp_extension import load_inline

cpp_source = r"""
#include <torch/extension.h>

torch::Tensor scale_shift(torch::Tensor x) {
    auto xc = x.contiguous();
    auto out = torch::empty_like(xc);
    const float* in = xc.data_ptr<float>();
    float* o = out.data_ptr<float>();
    const int64_t n = xc.numel();
    for (int64_t i = 0; i < n; ++i) {
        o[i] = in[i] * 2.0f + 1.0f;
    }
    return out;
}
"""

scale_shift = load_inline(
    name="kbh_sample_scale_shift",
    cpp_sources=cpp_source,
    functions=["scale_shift"],
    verbose=False,
)


class ModelNew(nn.Module):
    def __init__(self):
        super(ModelNew, self).__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return scale_shift.scale_shift(x)
