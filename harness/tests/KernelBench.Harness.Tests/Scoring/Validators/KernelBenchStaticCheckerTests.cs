using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

/// <summary>
/// The `kernelbench-static` policy's checker on the cases KernelBench's own unit tests for validate_kernel_static
/// check (their inputs and expected outcomes, worded here), plus the line each finding points at.
/// </summary>
public class KernelBenchStaticCheckerTests
{
    private const string HalfCast = "\n    def forward(self, x):\n        x = x.half()  # precision downgrade\n        return x\n";

    private static IEnumerable<string> All(KernelBenchStaticChecker.Result r) => r.Errors.Concat(r.Warnings).Select(i => i.Message);

    [Test]
    public void TryExceptFallback_IsAnError()
    {
        var r = KernelBenchStaticChecker.Validate("\ntry:\n    result = custom_kernel(x)\nexcept:\n    result = torch.matmul(x, w)  # fallback\n");
        Assert.That(r.Valid, Is.False);
        Assert.That(r.Errors.Select(e => e.Message), Has.Some.Contains("try-except"));
        Assert.That(r.Errors.Single(e => e.Check == "code_bypass").Line, Is.EqualTo(2));
    }

    [Test]
    public void IndentedTryExcept_IsAnErrorWithTheDefaults()
    {
        var r = KernelBenchStaticChecker.Validate("\n    try:\n        result = custom_kernel(x)\n    except:\n        result = torch.matmul(x, w)\n");
        Assert.That(r.Valid, Is.False);
        Assert.That(r.Errors.Select(e => e.Message.ToLowerInvariant()), Has.Some.Contains("try-except"));
    }

    [Test]
    public void PassStatement_IsAnError()
    {
        var r = KernelBenchStaticChecker.Validate("\nclass ModelNew(Model):\n    def forward(self, x):\n        pass  # inherits\n", "cuda");
        Assert.That(r.Valid, Is.False);
        Assert.That(r.Errors.Select(e => e.Message.ToLowerInvariant()), Has.Some.Contains("pass"));
    }

    [Test]
    public void PassInsideAWord_IsNotThePassStatement()
    {
        var r = KernelBenchStaticChecker.Validate("bypassed = passed = 1\n", "pytorch");
        Assert.That(r.Errors.Where(e => e.Check == "code_bypass"), Is.Empty);
    }

    [Test]
    public void MakeSubclass_IsAnError() =>
        Assert.That(KernelBenchStaticChecker.Validate("\nfake_tensor = torch.Tensor._make_subclass(FakeTensor, real_tensor)\n").Valid, Is.False);

    [Test]
    public void ReassignedEventTimer_IsAnError()
    {
        var r = KernelBenchStaticChecker.Validate("\n# fake the timer\ntorch.cuda.Event.elapsed_time = lambda self, end: 0.001\n");
        Assert.That(r.Valid, Is.False);
        Assert.That(r.Errors.Single(e => e.Check == "timing_event_patch").Line, Is.EqualTo(3));
    }

    [Test]
    public void Threading_IsAnError() =>
        Assert.That(KernelBenchStaticChecker.Validate("\nimport threading\nt = threading.Thread(target=background_work)\nt.start()\n").Valid, Is.False);

    [Test]
    public void HalfCast_UnderFp32_IsAWarningNotAnError()
    {
        var r = KernelBenchStaticChecker.Validate(HalfCast, precision: "fp32");
        Assert.That(r.Warnings.Select(w => w.Check), Does.Contain("precision_downgrade"));
        Assert.That(r.Errors.Select(e => e.Check), Does.Not.Contain("precision_downgrade"));
        Assert.That(All(r), Has.Some.Contains("FP16"));
    }

    [Test]
    public void HalfCast_UnderFp16_IsNotLookedFor()
    {
        var r = KernelBenchStaticChecker.Validate(HalfCast, precision: "fp16");
        Assert.That(All(r).Where(m => m.Contains("recision")), Is.Empty);
    }

    [Test]
    public void Precision_IsCaseInsensitive_AndFloat32MeansFp32()
    {
        var fp32 = KernelBenchStaticChecker.Validate(HalfCast, precision: "fp32");
        foreach (var p in new[] { "FP32", "Fp32", "float32" })
        {
            var r = KernelBenchStaticChecker.Validate(HalfCast, precision: p);
            Assert.That(All(r), Is.EqualTo(All(fp32)), p);
            Assert.That(r.Valid, Is.EqualTo(fp32.Valid), p);
        }
    }

    [Test]
    public void PrecisionDowngradeMadeForbidden_IsAnError()
    {
        var r = KernelBenchStaticChecker.Validate(HalfCast, "cuda", "fp32", forbidden: ["precision_downgrade"], warnings: []);
        Assert.That(r.Valid, Is.False);
        Assert.That(r.Errors.Select(e => e.Message.ToLowerInvariant()), Has.Some.Contains("precision"));
    }

    [Test]
    public void BypassMadeAWarning_IsAWarning()
    {
        var r = KernelBenchStaticChecker.Validate("try:\n    x = 1\nexcept:\n    x = 2\n", "pytorch", forbidden: [], warnings: ["code_bypass"]);
        Assert.That(r.Valid, Is.True);
        Assert.That(r.Warnings.Select(w => w.Check), Does.Contain("code_bypass"));
    }

    [TestCase("")]
    [TestCase("   \n\t\n")]
    public void EmptyOrBlankCode_GivesAResultWithoutThrowing(string code)
    {
        var r = KernelBenchStaticChecker.Validate(code);
        Assert.That(r.Valid, Is.False, "backend cuda: no __global__ kernel is an error");
        Assert.That(r.Errors.Select(e => e.Check), Is.EqualTo(new[] { "cuda_impl" }));
    }

    [Test]
    public void UnknownCheckNames_AreIgnored()
    {
        var r = KernelBenchStaticChecker.Validate("x = 1\n", "pytorch", forbidden: ["no_such_check"], warnings: ["nor_this"]);
        Assert.That((r.Valid, r.Errors.Count, r.Warnings.Count), Is.EqualTo((true, 0, 0)));
    }

    [TestCase("cuda", "cuda_impl")]
    [TestCase("hip", "hip_impl")]
    [TestCase("triton", "triton_impl")]
    [TestCase("thunderkittens", "tk_impl")]
    [TestCase("cute", "cute_impl")]
    [TestCase("cutlass", "cute_impl")]
    [TestCase("tilelang", "tilelang_impl")]
    public void EachBackend_AddsItsImplementationCheckAsAnError(string backend, string check)
    {
        var r = KernelBenchStaticChecker.Validate("x = 1\n", backend);
        Assert.That(r.Errors.Select(e => e.Check), Is.EqualTo(new[] { check }));
    }

    [Test]
    public void CudaKernelBuiltWithLoadInline_PassesTheBackendCheck()
    {
        const string code = "from torch.utils.cpp_extension import load_inline\nsrc = '''\n__global__ void add(float* a) {}\n'''\n" +
                            "ext = load_inline(name='add', cpp_sources='', cuda_sources=src)\n";
        Assert.That(KernelBenchStaticChecker.Validate(code, "cuda").Valid, Is.True);
    }

    [Test]
    public void WarningChecks_Fire_AsWarnings()
    {
        const string code = "from torch.utils.cpp_extension import load_inline\n# __global__ is in a comment only\nk = '__global__'\n" +
                            "s = torch.cuda.Stream()\ny = torch.matmul(a, b)\nm = torch.nn.Linear(3, 3)\n";
        var r = KernelBenchStaticChecker.Validate(code, "pytorch");
        Assert.That(r.Warnings.Select(w => w.Check), Is.EquivalentTo(new[] { "stream_injection", "torch_computation_ops", "pytorch_wrap" }));
        Assert.That(r.Warnings.Single(w => w.Check == "torch_computation_ops").Message, Is.EqualTo("Uses torch computation op: torch.matmul"));
        Assert.That(r.Warnings.Single(w => w.Check == "pytorch_wrap").Line, Is.EqualTo(6));
    }

    [Test]
    public void CommentsAreCutAtTheFirstHashOrDoubleSlash_EvenInsideStrings()
    {
        // KernelBench cuts every line at its first '#': a '#include' line of a CUDA string loses its text too.
        var r = KernelBenchStaticChecker.Validate("s = '# try:'\nt = 'a // except: b'\n", "pytorch");
        Assert.That(r.Valid, Is.True);
    }
}
