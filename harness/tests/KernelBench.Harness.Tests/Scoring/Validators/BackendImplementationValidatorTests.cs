using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

[TestFixture]
public class BackendImplementationValidatorTests
{
    private readonly BackendImplementationValidator _validator = new();

    private const string CudaCandidate = """
        import torch
        import torch.nn as nn
        from torch.utils.cpp_extension import load_inline

        cuda_src = '''
        __global__ void scale_shift_kernel(const float* x, float* y, int n) {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) y[i] = x[i] * 2.0f + 1.0f;
        }
        torch::Tensor scale_shift(torch::Tensor x) {
            auto y = torch::empty_like(x);
            scale_shift_kernel<<<(x.numel() + 255) / 256, 256>>>(x.data_ptr<float>(), y.data_ptr<float>(), x.numel());
            return y;
        }
        '''
        ext = load_inline(name="ss", cpp_sources="torch::Tensor scale_shift(torch::Tensor x);", cuda_sources=cuda_src,
                          functions=["scale_shift"])

        class ModelNew(nn.Module):
            def forward(self, x):
                return ext.scale_shift(x)
        """;

    [Test]
    public void Validate_CudaBackendWithRealKernel_Passes() =>
        Assert.That(_validator.Validate(Candidates.Of(CudaCandidate)), Is.Empty);

    [Test]
    public void Validate_CudaBackendButOnlyCppSample_Flags()
    {
        var finding = _validator.Validate(Candidates.Clean()).Single();

        Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Flag));
        Assert.That(finding.Message, Does.Contain("no `__global__` kernel"));
    }

    [Test]
    public void Validate_GlobalOnlyInCComment_Flags()
    {
        var source = CudaCandidate.Replace("__global__ void", "/* __global__ */ void");

        Assert.That(_validator.Validate(Candidates.Of(source)).Single().Message, Does.Contain("__global__"));
    }

    [Test]
    public void Validate_TritonBackendWithPlainTorch_Flags()
    {
        var candidate = Candidates.Clean() with { Backend = "triton" };

        Assert.That(_validator.Validate(candidate).Single().Message, Does.Contain("@triton.jit"));
    }

    [Test]
    public void Validate_CpuCleanSampleUnderUncheckedBackend_Passes() =>
        Assert.That(_validator.Validate(Candidates.Clean() with { Backend = "tilelang" }), Is.Empty);
}
