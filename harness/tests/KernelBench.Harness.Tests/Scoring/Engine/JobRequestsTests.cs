using System.Text.Json.Nodes;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers.Protocol;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>What the worker is asked, and which reference measurements may be reused for which settings.</summary>
public class JobRequestsTests
{
    private static readonly Problem Problem = new(1, 19, "ReLU", "/p/19_ReLU.py", "", "abc", []);

    // The keys kbh_jobs.py, kbh_check.py and kbh_candidate.py read from a reference or check request, with their
    // values for these settings: a renamed property or key fails here, not on a GPU.
    private const string Measure = """
        "problem_path": "/p/19_ReLU.py", "ref_key": "ref", "device": "cuda:0", "precision": "bf16", "seed": 7,
        "correctness_trials": 2, "perf_trials": 9, "warmup": 1, "timing_method": "do_bench", "timing_order": "separate",
        "atol": 0.01, "rtol": 0.02, "measure_performance": false, "inputs": "device", "sandbox": "require",
        "policy": "strict", "expects_kernel": true
        """;

    private static readonly EvalSettings Settings = new()
    {
        Device = "cuda:0", Precision = "bf16", Seed = 7, CorrectnessTrials = 2, PerfTrials = 9, WarmupRuns = 1,
        TimingMethod = "do_bench", TimingOrder = "separate", Atol = 0.01, Rtol = 0.02, MeasurePerformance = false,
        Inputs = "device", Sandbox = "require", Policy = "strict", Backend = "triton",
    };

    private static void AssertJson(WorkerJob job, string expected)
    {
        var actual = job.ToJson();
        var want = JsonNode.Parse(expected)!.AsObject();
        Assert.That(actual.Select(p => p.Key), Is.EquivalentTo(want.Select(p => p.Key)), actual.ToJsonString());
        Assert.That(JsonNode.DeepEquals(actual, want), Is.True, $"{actual.ToJsonString()}\n!=\n{want.ToJsonString()}");
    }

    [Test]
    public void Check_WritesExactlyTheKeysTheWorkerReads()
    {
        AssertJson(JobRequests.Check(Problem, Settings, "ref", "key", "/c/key.py", "/c/ext/key"),
            "{" + """ "job": "check", """ + Measure + """, "candidate_key": "key", "candidate_path": "/c/key.py", "extensions_dir": "/c/ext/key" }""");
    }

    [Test]
    public void Reference_WritesExactlyTheKeysTheWorkerReads_CompileModeOnlyWhenAsked()
    {
        AssertJson(JobRequests.Reference(Problem, Settings, "ref"), "{" + """ "job": "reference", """ + Measure + "}");
        AssertJson(JobRequests.Reference(Problem, Settings, "ref") with { CompileMode = "max-autotune" },
            "{" + """ "job": "reference", """ + Measure + """, "compile_mode": "max-autotune" }""");
        // The folder the timed checks write candidates to: the worker starts the first one's process beside it.
        AssertJson(JobRequests.Reference(Problem, Settings, "ref") with { CandidatesFolder = "/c" },
            "{" + """ "job": "reference", """ + Measure + """, "candidates_folder": "/c" }""");
    }

    [Test]
    public void Build_WithTheEnginesLimits_WritesExactlyTheKeysTheWorkerReads()
    {
        var job = JobRequests.Build("key", "/c/key.py", null, "off", "/p/19_ReLU.py") with { GpuLockDir = "/locks", TimeoutSeconds = 60 };
        AssertJson(job, """
            { "job": "build", "candidate_key": "key", "candidate_path": "/c/key.py", "extensions_dir": null, "sandbox": "off",
              "problem_path": "/p/19_ReLU.py", "gpu_lock_dir": "/locks", "timeout_s": 60 }
            """);
    }

    [Test]
    public void SandboxPingAndWarm_WriteTheirJobAlone()
    {
        AssertJson(new SandboxJob { TimeoutSeconds = 120 }, """{ "job": "sandbox", "sandbox": "auto", "timeout_s": 120 }""");
        AssertJson(new PingJob(), """{ "job": "ping" }""");
    }

    [Test]
    public void ReferenceKey_InputsMadeElsewhere_IsAnotherReference()
    {
        var cpu = new EvalSettings { Device = "cuda:0" };
        var device = cpu with { Inputs = "device" };
        // Inputs made on the GPU have other values: their reference outputs and times are never reused for CPU-made ones.
        Assert.That(JobRequests.ReferenceKey(Problem, device, "2.11"), Is.Not.EqualTo(JobRequests.ReferenceKey(Problem, cpu, "2.11")));
        Assert.That(JobRequests.ReferenceKey(Problem, cpu, "2.11"), Is.EqualTo(JobRequests.ReferenceKey(Problem, cpu with { }, "2.11")));
    }

    [Test]
    public void Check_CarriesWhereInputsAreMade()
    {
        var request = JobRequests.Check(Problem, new EvalSettings { Inputs = "device" }, "ref", "key", "c.py");
        Assert.That((string?)request.ToJson()["inputs"], Is.EqualTo("device"));
    }
}
