# CUDA candidate for KernelBench L2/12_Gemm_Multiply_LeakyReLU: PyTorch's GEMM, then the scale and LeakyReLU fused.
import torch
import torch.nn as nn
from torch.utils.cpp_extension import load_inline

cuda_source = r"""
#include <torch/extension.h>

__global__ void scale_leaky_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n, float scale, float slope) {
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (; i < n; i += stride) {
        float v = x[i] * scale;
        y[i] = v > 0.0f ? v : v * slope;
    }
}

torch::Tensor scale_leaky_cuda(torch::Tensor x, double scale, double slope) {
    auto xc = x.contiguous();
    auto y = torch::empty_like(xc);
    int64_t n = xc.numel();
    int threads = 256;
    int blocks = (int)std::min<int64_t>((n + threads - 1) / threads, 65535 * 8);
    scale_leaky_kernel<<<blocks, threads>>>(xc.data_ptr<float>(), y.data_ptr<float>(), n, (float)scale, (float)slope);
    return y;
}
"""

ext = load_inline(name="kbh_gpu_l2_12_scale_leaky",
                  cpp_sources="torch::Tensor scale_leaky_cuda(torch::Tensor x, double scale, double slope);",
                  cuda_sources=cuda_source, functions=["scale_leaky_cuda"], verbose=False)


class ModelNew(nn.Module):
    def __init__(self, in_features, out_features, multiplier, negative_slope):
        super(ModelNew, self).__init__()
        self.gemm = nn.Linear(in_features, out_features)
        self.multiplier = multiplier
        self.negative_slope = negative_slope

    def forward(self, x):
        return ext.scale_leaky_cuda(self.gemm(x), self.multiplier, self.negative_slope)
