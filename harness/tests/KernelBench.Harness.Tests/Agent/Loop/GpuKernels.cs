namespace KernelBench.Harness.Tests.Agent.Loop;

/// <summary>Scripted model answers with real CUDA load_inline kernels for KernelBench L1/19 (ReLU) and L2/12 (Gemm, multiply, LeakyReLU).</summary>
public static class GpuKernels
{
    private const string ReluTemplate = """
        import torch
        import torch.nn as nn
        from torch.utils.cpp_extension import load_inline

        relu_source = r'''
        #include <torch/extension.h>
        #include <ATen/cuda/CUDAContext.h>

        __global__ void relu_kernel(const float* __restrict__ in, float* __restrict__ out, int64_t n) {
            int64_t stride = (int64_t)blockDim.x * gridDim.x;
            for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
                float v = in[i]@SEMI@
                out[i] = @EXPR@;
            }
        }

        torch::Tensor relu_forward(torch::Tensor x) {
            TORCH_CHECK(x.is_cuda(), "x must be a CUDA tensor");
            auto xc = x.contiguous();
            auto out = torch::empty_like(xc);
            int64_t n = xc.numel();
            const int threads = 256;
            int64_t blocks = (n + threads - 1) / threads;
            if (blocks > (1LL << 20)) blocks = 1LL << 20;
            relu_kernel<<<(unsigned int)blocks, threads, 0, at::cuda::getCurrentCUDAStream()>>>(xc.data_ptr<float>(), out.data_ptr<float>(), n);
            return out;
        }
        '''

        relu_ext = load_inline(
            name="@NAME@",
            cpp_sources="torch::Tensor relu_forward(torch::Tensor x);",
            cuda_sources=relu_source,
            functions=["relu_forward"],
            verbose=False,
        )


        class ModelNew(nn.Module):
            def __init__(self):
                super(ModelNew, self).__init__()

            def forward(self, x):
                return relu_ext.relu_forward(x)
        """;

    /// <summary>A missing semicolon: nvcc refuses it.</summary>
    public static string ReluCompileError => Relu("kbh_gpu_relu_v1", semicolon: "", expr: "v > 0.0f ? v : 0.0f");

    /// <summary>Compiles, but zeroes everything below 0.5 (torch.rand inputs are all non-negative, so a sign error would pass).</summary>
    public static string ReluWrong => Relu("kbh_gpu_relu_v2", semicolon: ";", expr: "v > 0.5f ? v : 0.0f");

    public static string ReluCorrect => Relu("kbh_gpu_relu_v3", semicolon: ";", expr: "v > 0.0f ? v : 0.0f");

    private static string Relu(string name, string semicolon, string expr) =>
        ReluTemplate.Replace("@NAME@", name).Replace("@SEMI@", semicolon).Replace("@EXPR@", expr);

    /// <summary>nn.Linear kept (cuBLAS, same weights as the reference under the same seed), multiply and LeakyReLU fused in one kernel.</summary>
    public const string GemmScaleLeakyCorrect = """
        import torch
        import torch.nn as nn
        from torch.utils.cpp_extension import load_inline

        fused_source = r'''
        #include <torch/extension.h>
        #include <ATen/cuda/CUDAContext.h>

        __global__ void scale_leaky_kernel(const float* __restrict__ in, float* __restrict__ out, float m, float slope, int64_t n) {
            int64_t stride = (int64_t)blockDim.x * gridDim.x;
            for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
                float v = in[i] * m;
                out[i] = v > 0.0f ? v : v * slope;
            }
        }

        torch::Tensor scale_leaky(torch::Tensor x, double m, double slope) {
            TORCH_CHECK(x.is_cuda(), "x must be a CUDA tensor");
            auto xc = x.contiguous();
            auto out = torch::empty_like(xc);
            int64_t n = xc.numel();
            const int threads = 256;
            int64_t blocks = (n + threads - 1) / threads;
            if (blocks > (1LL << 20)) blocks = 1LL << 20;
            scale_leaky_kernel<<<(unsigned int)blocks, threads, 0, at::cuda::getCurrentCUDAStream()>>>(
                xc.data_ptr<float>(), out.data_ptr<float>(), (float)m, (float)slope, n);
            return out;
        }
        '''

        fused_ext = load_inline(
            name="kbh_gpu_gemm_scale_leaky",
            cpp_sources="torch::Tensor scale_leaky(torch::Tensor x, double m, double slope);",
            cuda_sources=fused_source,
            functions=["scale_leaky"],
            verbose=False,
        )


        class ModelNew(nn.Module):
            def __init__(self, in_features, out_features, multiplier, negative_slope):
                super(ModelNew, self).__init__()
                self.gemm = nn.Linear(in_features, out_features)
                self.multiplier = multiplier
                self.negative_slope = negative_slope

            def forward(self, x):
                return fused_ext.scale_leaky(self.gemm(x), self.multiplier, self.negative_slope)
        """;
}
