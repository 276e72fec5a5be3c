using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Scoring.Devices;

/// <summary>
/// One verifier per device (one GPU worker per GPU), behind the one <see cref="IVerifier"/> the agent loop sees.
/// A problem is pinned to a device the first time it is judged (the device with the fewest candidates in flight, then
/// the fewest problems pinned so far: a new problem never queues behind a busy device while another is idle) and
/// all its candidates go there: the per-device verifier measures the problem's reference once on that GPU, so every
/// speedup compares a candidate and a reference timed on the same GPU, never across cards. Each device judges
/// <c>workersPerDevice</c> candidates at a time; others wait for it. Every verdict records the device's GPU index.
/// </summary>
public sealed class MultiDeviceVerifier : IDisposableVerifier, IPreparingVerifier
{
    private sealed record Lane(GpuDevice Device, IVerifier Verifier, SemaphoreSlim? Slots)
    {
        public int Pinned;
        public int InFlight; // under _gate
        public string? Lost; // under _gate: why its worker cannot be started; its problems go to the other lanes
    }

    private readonly List<Lane> _lanes;
    private readonly Dictionary<string, Lane> _pins = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <param name="devices">From <see cref="DeviceList.Resolve"/>; a device listed twice gets two lanes.</param>
    /// <param name="create">Builds the verifier for one device label ("cuda:1"), e.g. the Python-worker verifier.</param>
    /// <param name="workersPerDevice">Candidates one device judges at once; null: as many as its verifier accepts (it queues).</param>
    public MultiDeviceVerifier(IReadOnlyList<GpuDevice> devices, Func<string, IVerifier> create, int? workersPerDevice = 1)
    {
        if (devices.Count == 0)
            throw new ArgumentException("at least one device", nameof(devices));
        if (workersPerDevice is < 1)
            throw new ArgumentOutOfRangeException(nameof(workersPerDevice));
        _lanes = devices.Select(d => new Lane(d, create(d.Label), workersPerDevice is { } n ? new SemaphoreSlim(n) : null)).ToList();
    }

    /// <summary>
    /// The verifier for a run's devices, each device's verifier queueing its own work. `cpu`, `cuda:N`, or `cuda` with one
    /// (or an unknown number of) visible GPU: one verifier on that device string, as configured. `cuda` with several
    /// GPUs, or a `gpus:` list: one per GPU (<see cref="DeviceList"/>). <paramref name="visibleCount"/> is asked only then.
    /// </summary>
    public static MultiDeviceVerifier For(string device, IReadOnlyList<int>? gpus, Func<int?> visibleCount, Func<string, IVerifier> create) =>
        new(DevicesFor(device, gpus, visibleCount), create, workersPerDevice: null);

    /// <summary>The devices <see cref="For"/> puts a verifier on (see there); <paramref name="visibleCount"/> is asked only for `cuda`.</summary>
    public static IReadOnlyList<GpuDevice> DevicesFor(string device, IReadOnlyList<int>? gpus, Func<int?> visibleCount)
    {
        if (device != "cuda")
            return [new GpuDevice(device, null)];
        var count = visibleCount();
        if (gpus is null && count is not > 1)
            return [new GpuDevice(device, null)];
        // An unknown count cannot refuse a listed ordinal; the worker then checks its device when it starts.
        return DeviceList.Resolve(device, gpus, System.Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES"), count ?? int.MaxValue);
    }

    public IReadOnlyList<GpuDevice> Devices => _lanes.Select(l => l.Device).ToList();

    /// <summary>The device a problem is pinned to, or null before its first candidate.</summary>
    public GpuDevice? PinnedDevice(string problemKey)
    {
        lock (_gate)
            return _pins.TryGetValue(problemKey, out var lane) ? lane.Device : null;
    }

    /// <summary>Judges on the problem's lane; when that lane's worker cannot be started (a GPU that fell off the bus, a
    /// node's broken CUDA), the lane is given up, said once on stderr, and its problems go to the lanes left: the batch
    /// ends only when none is left.</summary>
    public async Task<Verdict> VerifyAsync(Problem problem, string candidateSource, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lane = Pin(problem.Key);
            try
            {
                return await VerifyOnAsync(lane, problem, candidateSource, cancellationToken);
            }
            catch (Workers.WorkerStartException e)
            {
                if (!GiveUp(lane, e.Message))
                    throw;
            }
        }
    }

    /// <summary>Marks the lane lost and unpins its problems; false when it was the last one.</summary>
    private bool GiveUp(Lane lane, string why)
    {
        lock (_gate)
        {
            if (lane.Lost is null)
            {
                lane.Lost = why;
                foreach (var key in _pins.Where(p => p.Value == lane).Select(p => p.Key).ToList())
                    _pins.Remove(key);
                Console.Error.WriteLine($"kbh: the worker on {lane.Device.Label} cannot be started ({why}); its problems go to the other workers");
            }
            return _lanes.Any(l => l.Lost is null);
        }
    }

    private async Task<Verdict> VerifyOnAsync(Lane lane, Problem problem, string candidateSource, CancellationToken cancellationToken)
    {
        try
        {
            var waited = await lane.Slots.WaitTimedAsync(cancellationToken);
            try
            {
                var verdict = await lane.Verifier.VerifyAsync(problem, candidateSource, cancellationToken);
                verdict = verdict with { QueueSeconds = verdict.QueueSeconds + waited };
                return lane.Device.Index is null ? verdict // one device as configured: its verifier's own record stands
                    : verdict with { Environment = (verdict.Environment ?? new EnvironmentInfo()) with { GpuIndex = lane.Device.Index } };
            }
            finally
            {
                lane.Slots?.Release();
            }
        }
        finally
        {
            lock (_gate)
                lane.InFlight--;
        }
    }

    /// <summary>
    /// Pins the problem (as its first candidate would) and prepares it there when that lane has nothing else in flight
    /// and a free slot; else returns at once: a busy lane is never made to switch problems for a candidate not yet built.
    /// </summary>
    public async Task PrepareAsync(Problem problem, CancellationToken cancellationToken)
    {
        var lane = Pin(problem.Key);
        try
        {
            if (lane.Verifier is not IPreparingVerifier preparer)
                return;
            lock (_gate)
                if (lane.InFlight > 1)
                    return;
            if (lane.Slots is { } slots && !await slots.WaitAsync(0, cancellationToken))
                return;
            try
            {
                await preparer.PrepareAsync(problem, cancellationToken);
            }
            finally
            {
                lane.Slots?.Release();
            }
        }
        finally
        {
            lock (_gate)
                lane.InFlight--;
        }
    }

    /// <summary>Starts every lane's workers at once.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_lanes.Select(l => l.Verifier is IPreparingVerifier p ? p.WarmUpAsync(cancellationToken) : Task.CompletedTask));

    /// <summary>The problem's device (pinned on first use), with this call counted in flight on it.</summary>
    private Lane Pin(string problemKey)
    {
        lock (_gate)
        {
            if (!_pins.TryGetValue(problemKey, out var lane))
            {
                // stable: ties go to the first listed device
                lane = _lanes.Where(l => l.Lost is null).DefaultIfEmpty(_lanes[0]).OrderBy(l => l.InFlight).ThenBy(l => l.Pinned).First();
                lane.Pinned++;
                _pins[problemKey] = lane;
            }
            lane.InFlight++;
            return lane;
        }
    }

    /// <summary>Disposes every device's verifier (stops its workers).</summary>
    public void Dispose()
    {
        // All at once: each stops a worker, which takes seconds to free its host memory and CUDA context.
        Parallel.ForEach(_lanes, lane =>
        {
            (lane.Verifier as IDisposable)?.Dispose();
            lane.Slots?.Dispose();
        });
    }
}
