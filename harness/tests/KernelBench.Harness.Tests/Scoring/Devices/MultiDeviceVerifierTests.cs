using System.Collections.Concurrent;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Tests.Scoring.Devices;

public sealed class MultiDeviceVerifierTests
{
    private static readonly GpuDevice[] TwoGpus = [new("cuda:0", 0), new("cuda:1", 1)];

    /// <summary>A per-device verifier as the real one behaves: it measures a problem's reference once, on its own device.</summary>
    private sealed class DeviceVerifier(string device, Calls calls) : IVerifier, IPreparingVerifier
    {
        public Task PrepareAsync(Problem problem, CancellationToken cancellationToken)
        {
            calls.Prepared.Enqueue((problem.Key, device));
            return Task.CompletedTask;
        }

        public async Task<Verdict> VerifyAsync(Problem problem, string candidateSource, CancellationToken cancellationToken)
        {
            calls.ReferenceOn.TryAdd((problem.Key, device), 0); // the reference timing this verifier caches for the problem
            calls.Log.Enqueue((problem.Key, device, candidateSource));
            var running = Interlocked.Increment(ref calls.Running);
            calls.MaxRunning = Math.Max(calls.MaxRunning, running);
            try
            {
                if (calls.Gate is { } gate)
                    await gate(device, cancellationToken);
                return new Verdict { Status = VerdictStatus.Correct, ProblemName = problem.Name, Environment = new EnvironmentInfo { GpuName = "test " + device } };
            }
            finally
            {
                Interlocked.Decrement(ref calls.Running);
            }
        }
    }

    private sealed class Calls
    {
        public readonly ConcurrentQueue<(string Problem, string Device, string Code)> Log = new();
        public readonly ConcurrentDictionary<(string, string), int> ReferenceOn = new();
        public readonly ConcurrentQueue<(string Problem, string Device)> Prepared = new();
        public int Running;
        public int MaxRunning;
        public Func<string, CancellationToken, Task>? Gate;
    }

    private static Problem P(int id) => new(1, id, $"p{id}", $"/p/{id}.py", "", $"sha{id}", []);

    [Test]
    public async Task VerifyAsync_TwoProblems_BothDevicesJudgeAtTheSameTime()
    {
        var calls = new Calls();
        var started = new ConcurrentDictionary<string, bool>();
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.Gate = async (device, ct) =>
        {
            started[device] = true;
            if (started.Count == 2)
                both.TrySetResult();
            // Each call holds its device until the other device is busy too: only concurrent dispatch gets past this.
            await both.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        };
        using var verifier = new MultiDeviceVerifier(TwoGpus, d => new DeviceVerifier(d, calls));

        var verdicts = await Task.WhenAll(verifier.VerifyAsync(P(1), "a", default), verifier.VerifyAsync(P(2), "b", default));

        Assert.That(calls.Log.Select(c => c.Device).Distinct().Order(), Is.EqualTo(new[] { "cuda:0", "cuda:1" }));
        Assert.That(calls.MaxRunning, Is.EqualTo(2));
        Assert.That(verdicts.Select(v => v.Environment!.GpuIndex), Is.EquivalentTo(new int?[] { 0, 1 }));
    }

    [Test]
    public async Task VerifyAsync_EachVerdict_TaggedWithTheDeviceThatJudgedIt()
    {
        var calls = new Calls();
        using var verifier = new MultiDeviceVerifier(TwoGpus, d => new DeviceVerifier(d, calls));

        for (var id = 1; id <= 6; id++)
        {
            var verdict = await verifier.VerifyAsync(P(id), "x", default);
            var device = verifier.PinnedDevice(P(id).Key)!;
            Assert.That(verdict.Environment!.GpuIndex, Is.EqualTo(device.Index));
            Assert.That(verdict.Environment.GpuName, Is.EqualTo("test " + device.Label), "the device verifier's own environment is kept");
        }
    }

    [Test]
    public async Task VerifyAsync_ManyCandidatesPerProblem_ReferenceAndCandidatesOnOnePinnedDevice()
    {
        var calls = new Calls();
        using var verifier = new MultiDeviceVerifier(TwoGpus, d => new DeviceVerifier(d, calls));

        var work = Enumerable.Range(1, 4).SelectMany(id => Enumerable.Range(0, 5).Select(c => verifier.VerifyAsync(P(id), $"c{c}", default)));
        await Task.WhenAll(work);

        foreach (var problem in calls.Log.GroupBy(c => c.Problem))
            Assert.That(problem.Select(c => c.Device).Distinct().Count(), Is.EqualTo(1), $"{problem.Key} was judged on more than one device");
        Assert.That(calls.ReferenceOn.Keys.GroupBy(k => k.Item1).All(g => g.Count() == 1), Is.True, "a reference was measured on two devices");
        Assert.That(calls.Log.GroupBy(c => c.Device).Select(g => g.Select(c => c.Problem).Distinct().Count()), Is.EqualTo(new[] { 2, 2 }),
            "problems are spread evenly over the devices");
    }

    [Test]
    public async Task VerifyAsync_OneWorkerPerDevice_NeverTwoAtOnceOnOneDevice()
    {
        var calls = new Calls();
        var perDevice = new ConcurrentDictionary<string, int>();
        var worst = 0;
        calls.Gate = async (device, ct) =>
        {
            var n = perDevice.AddOrUpdate(device, 1, (_, v) => v + 1);
            InterlockedMax(ref worst, n);
            await Task.Delay(20, ct);
            perDevice.AddOrUpdate(device, 0, (_, v) => v - 1);
        };
        using var verifier = new MultiDeviceVerifier(TwoGpus, d => new DeviceVerifier(d, calls));

        await Task.WhenAll(Enumerable.Range(0, 6).Select(c => verifier.VerifyAsync(P(1), $"c{c}", default)));

        Assert.That(worst, Is.EqualTo(1));
    }

    [Test]
    public async Task VerifyAsync_NewProblemWhileADeviceIsBusy_PinnedToTheIdleDevice()
    {
        var calls = new Calls();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.Gate = (device, ct) => device == "cuda:0" ? release.Task.WaitAsync(ct) : Task.CompletedTask;
        using var verifier = new MultiDeviceVerifier(TwoGpus, d => new DeviceVerifier(d, calls));

        var first = verifier.VerifyAsync(P(1), "a", default); // cuda:0, held
        await verifier.VerifyAsync(P(2), "b", default);       // cuda:1, done: one problem pinned on each device
        // Pinned by problem count alone, P(3) would tie and queue behind P(1) on cuda:0 while cuda:1 sits idle.
        var third = await verifier.VerifyAsync(P(3), "c", default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(third.Environment!.GpuIndex, Is.EqualTo(1));
        Assert.That(first.IsCompleted, Is.False);
        release.SetResult();
        Assert.That((await first).Environment!.GpuIndex, Is.EqualTo(0));
    }

    [Test]
    public async Task PrepareAsync_IdleDevice_PreparedWhereItsCandidatesAreThenJudged()
    {
        var calls = new Calls();
        using var verifier = new MultiDeviceVerifier(TwoGpus, d => new DeviceVerifier(d, calls));

        await verifier.PrepareAsync(P(1), default);
        await verifier.PrepareAsync(P(2), default);
        await verifier.VerifyAsync(P(2), "b", default);
        await verifier.VerifyAsync(P(1), "a", default);

        Assert.That(calls.Prepared, Is.EqualTo(new[] { ("L1/1", "cuda:0"), ("L1/2", "cuda:1") }));
        Assert.That(calls.Log.Select(c => (c.Problem, c.Device)), Is.EqualTo(new[] { ("L1/2", "cuda:1"), ("L1/1", "cuda:0") }),
            "a problem is pinned when it is prepared, and judged there");
    }

    [Test]
    public async Task PrepareAsync_DeviceBusyWithAnotherProblem_ReturnsAtOnceWithoutPreparing()
    {
        var calls = new Calls();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.Gate = (_, ct) => release.Task.WaitAsync(ct);
        using var verifier = new MultiDeviceVerifier([new GpuDevice("cuda:0", 0)], d => new DeviceVerifier(d, calls));

        var judging = verifier.VerifyAsync(P(1), "a", default); // holds the only device
        await verifier.PrepareAsync(P(2), default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(calls.Prepared, Is.Empty, "a busy worker is not made to switch problems for a candidate not yet built");
        Assert.That(judging.IsCompleted, Is.False);
        release.SetResult();
        await judging;
        await verifier.PrepareAsync(P(2), default);
        Assert.That(calls.Prepared, Is.EqualTo(new[] { ("L1/2", "cuda:0") }), "once idle, it prepares");
    }

    [TestCase("cpu", null, 0, new[] { "cpu" })]
    [TestCase("cuda:1", null, 4, new[] { "cuda:1" })]
    [TestCase("cuda", null, 1, new[] { "cuda" })]
    [TestCase("cuda", null, -1, new[] { "cuda" })]   // count unknown (no nvidia-smi): the default device, as configured
    [TestCase("cuda", null, 3, new[] { "cuda:0", "cuda:1", "cuda:2" })]
    [TestCase("cuda", new[] { 0, 0 }, 1, new[] { "cuda:0", "cuda:0" })]
    public void For_DeviceAndGpus_OneVerifierPerDevice(string device, int[]? gpus, int visible, string[] expected)
    {
        var made = new List<string>();
        using var verifier = MultiDeviceVerifier.For(device, gpus, () => visible < 0 ? null : visible, d => { made.Add(d); return new DeviceVerifier(d, new Calls()); });

        Assert.That(made, Is.EqualTo(expected));
        Assert.That(verifier.Devices.Select(d => d.Label), Is.EqualTo(expected));
    }

    [Test]
    public async Task VerifyAsync_OneConfiguredDevice_VerdictKeptAsItsVerifierMadeIt()
    {
        using var verifier = MultiDeviceVerifier.For("cuda", null, () => 1, d => new DeviceVerifier(d, new Calls()));

        var verdict = await verifier.VerifyAsync(P(1), "x", default);

        Assert.That(verdict.Environment!.GpuIndex, Is.Null);
        Assert.That(verdict.Environment.GpuName, Is.EqualTo("test cuda"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
