namespace KernelBench.Harness.Agent.Prompts;

/// <summary>What "write a kernel" means for the configured backend (eval.backend).</summary>
public static class BackendInstructions
{
    public static string For(string backend) => backend switch
    {
        "cpp" => "Write your kernels in C++ for the CPU and build them with `torch.utils.cpp_extension.load_inline` " +
                 "(`cpp_sources` only, no CUDA), as plain loops over the tensors' data.",
        "triton" => "Write your kernels in Triton (`import triton`, `import triton.language as tl`, `@triton.jit`).",
        "pytorch" => "Rewrite the model in plain PyTorch operations that compute the same result faster.",
        "cuda" => "Write your kernels in CUDA C++ and build them inline with `torch.utils.cpp_extension.load_inline`.",
        _ => $"Write your kernels with the {backend} backend.",
    };
}
