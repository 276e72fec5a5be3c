using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Tests.Scoring.Workers;

public class WorkerEnvironmentTests
{
    [Test]
    public void Build_MixedEnvironment_KeepsOnlyAllowListedNonSecretNames()
    {
        var env = WorkerEnvironment.Build(new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin", ["HOME"] = "/root", ["CUDA_VISIBLE_DEVICES"] = "0", ["TORCH_CUDA_ARCH_LIST"] = "9.0",
            ["OPENAI_API_KEY"] = "sk-x", ["HF_TOKEN"] = "hf_x", ["AWS_SECRET_ACCESS_KEY"] = "x", ["NVIDIA_API_KEY"] = "nvapi-x",
            ["CUDA_AUTH_TOKEN"] = "x", ["RANDOM_VAR"] = "x", ["KBH_FAST_FILL"] = "0", ["THP_MEM_ALLOC_ENABLE"] = "0",
        });
        Assert.That(env.Keys, Is.EquivalentTo(new[] { "PATH", "HOME", "CUDA_VISIBLE_DEVICES", "TORCH_CUDA_ARCH_LIST", "KBH_FAST_FILL", "THP_MEM_ALLOC_ENABLE" }));
    }
}
