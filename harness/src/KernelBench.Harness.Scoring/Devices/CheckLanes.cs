using KernelBench.Harness.Scoring.Validators;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Cache;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Scoring.Devices;

/// <summary>
/// The one scheduler `kbh eval --candidates` and `kbh run` both judge through: each device gets
/// <c>workersPerDevice</c> check workers (on a GPU they take turns on it, one preparing the next candidate on the host
/// while another is on the GPU), each problem is pinned to one of them for its reference and all its candidates
/// (<see cref="MultiDeviceVerifier"/>), and CPU build workers build ahead (<see cref="PipelinedVerifier"/>). On a GPU,
/// every check worker gets cores of its own and the builds share the rest (<see cref="CpuPlan"/> says why).
/// </summary>
public sealed class CheckLanes : IDisposableVerifier, IPreparingVerifier
{
    private readonly IDisposableVerifier _verifier;

    private CheckLanes(IDisposableVerifier verifier, int lanes)
    {
        _verifier = verifier;
        Lanes = lanes;
    }

    /// <summary>How many candidates are checked at once (check workers over all devices).</summary>
    public int Lanes { get; }

    /// <summary>The build pipeline in front of the checks, when there are build workers.</summary>
    public PipelinedVerifier? Pipeline => _verifier as PipelinedVerifier;

    /// <summary>Check workers per device unless configured: two on a GPU, one on a CPU.</summary>
    public static int DefaultWorkers(int? configured, string device) => configured ?? (OnGpu(device) ? 2 : 1);

    /// <param name="devices">From <see cref="MultiDeviceVerifier.DevicesFor"/>; a device listed twice gets twice the workers.</param>
    /// <param name="buildWorkers">Null: one per core the check workers leave on a GPU, none on a CPU.</param>
    /// <param name="options">Every engine's options; each check worker gets its device and cores, builders the rest.</param>
    public static CheckLanes Create(IReadOnlyList<GpuDevice> devices, int workersPerDevice, int? buildWorkers, EngineOptions options)
    {
        var lanes = devices.SelectMany(d => Enumerable.Repeat(d, workersPerDevice)).ToList();
        var cpus = OnGpu(options.Settings.Device) ? CpuPlan.For(CpuPlan.AllowedCores(), lanes.Count) : CpuPlan.None(lanes.Count);
        var lane = 0;
        var records = CandidateBuildRecords.For(options.Worker); // the engines write and report, the pipeline reads
        var checks = new MultiDeviceVerifier(lanes,
            device =>
            {
                var i = lane++; // the lanes are made in order: this one's cores
                return new CandidateEngine(options with
                {
                    Settings = options.Settings with { Device = device },
                    Worker = options.Worker with { Cpus = cpus.GpuWorkers[i], HostCpus = cpus.HostPool(i) },
                }, ScoringValidators.Default(), records);
            },
            workersPerDevice: 1);
        var builders = PipelinedVerifier.DefaultWorkers(buildWorkers ?? cpus.BuildWorkers?.Count, options.Settings.Device);
        var buildOptions = options.ForBuildWorker();
        buildOptions = buildOptions with { Worker = buildOptions.Worker with { Cpus = cpus.BuildWorkers } };
        // KernelBench's timing times nothing while its flow still builds: its parity mode waits for the builds too.
        var buildsFirst = options.Settings.TimingMethod == TimingMethods.KernelBench;
        return new CheckLanes(PipelinedVerifier.Wrap(checks, () => new CandidateEngine(buildOptions, ScoringValidators.Default(), records), builders,
            records, buildsFirst), lanes.Count);
    }

    public Task<Verdict> VerifyAsync(Problem problem, string candidateSource, CancellationToken cancellationToken) =>
        _verifier.VerifyAsync(problem, candidateSource, cancellationToken);

    public Task PrepareAsync(Problem problem, CancellationToken cancellationToken) =>
        _verifier is IPreparingVerifier preparer ? preparer.PrepareAsync(problem, cancellationToken) : Task.CompletedTask;

    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        _verifier is IPreparingVerifier preparer ? preparer.WarmUpAsync(cancellationToken) : Task.CompletedTask;

    public void Dispose() => _verifier.Dispose();

    private static bool OnGpu(string device) => device.StartsWith("cuda", StringComparison.Ordinal);
}
