# CUDA candidate for KernelBench L2/1_Conv2D_ReLU_BiasAdd: PyTorch's convolution, then ReLU and the bias add fused.
import torch
import torch.nn as nn
from torch.utils.cpp_extension import load_inline

cuda_source = r"""
#include <torch/extension.h>

__global__ void relu_bias_kernel(const float* __restrict__ x, const float* __restrict__ bias, float* __restrict__ y,
                                 int64_t n, int64_t hw, int64_t channels) {
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (; i < n; i += stride) {
        int64_t c = (i / hw) % channels;
        y[i] = fmaxf(x[i], 0.0f) + bias[c];
    }
}

torch::Tensor relu_bias_cuda(torch::Tensor x, torch::Tensor bias) {
    auto xc = x.contiguous();
    auto b = bias.contiguous();
    auto y = torch::empty_like(xc);
    int64_t n = xc.numel();
    int64_t hw = xc.size(2) * xc.size(3);
    int threads = 256;
    int blocks = (int)std::min<int64_t>((n + threads - 1) / threads, 65535 * 8);
    relu_bias_kernel<<<blocks, threads>>>(xc.data_ptr<float>(), b.data_ptr<float>(), y.data_ptr<float>(), n, hw, xc.size(1));
    return y;
}
"""

ext = load_inline(name="kbh_gpu_l2_1_relu_bias", cpp_sources="torch::Tensor relu_bias_cuda(torch::Tensor x, torch::Tensor bias);",
                  cuda_sources=cuda_source, functions=["relu_bias_cuda"], verbose=False)


class ModelNew(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, bias_shape):
        super(ModelNew, self).__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size)
        self.bias = nn.Parameter(torch.randn(bias_shape))

    def forward(self, x):
        return ext.relu_bias_cuda(self.conv(x), self.bias)
