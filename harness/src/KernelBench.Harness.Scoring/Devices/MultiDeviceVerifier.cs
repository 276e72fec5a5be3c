using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Scoring.Devices;

/// <summary>
/// One verifier per device (one GPU worker per GPU), behind the one <see cref="IVerifier"/> the agent loop sees.
/// A problem is pinned to a device the first time it is judged (the device with the fewest problems pinned so far) and
/// all its candidates go there: the per-device verifier measures the problem's reference once on that GPU, so every
/// speedup compares a candidate and a reference timed on the same GPU, never across cards. Each device judges
/// <c>workersPerDevice</c> candidates at a time; others wait for it. Every verdict records the device's GPU index.
/// </summary>
public sealed class MultiDeviceVerifier : IVerifier, IAsyncDisposable
{
    private sealed record Lane(GpuDevice Device, IVerifier Verifier, SemaphoreSlim Slots)
    {
        public int Pinned;
    }

    private readonly List<Lane> _lanes;
    private readonly Dictionary<string, Lane> _pins = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <param name="devices">From <see cref="DeviceList.Resolve"/>; a device listed twice gets two lanes.</param>
    /// <param name="create">Builds the verifier for one device label ("cuda:1"), e.g. the Python-worker verifier.</param>
    public MultiDeviceVerifier(IReadOnlyList<GpuDevice> devices, Func<string, IVerifier> create, int workersPerDevice = 1)
    {
        if (devices.Count == 0)
            throw new ArgumentException("at least one device", nameof(devices));
        ArgumentOutOfRangeException.ThrowIfLessThan(workersPerDevice, 1);
        _lanes = devices.Select(d => new Lane(d, create(d.Label), new SemaphoreSlim(workersPerDevice))).ToList();
    }

    /// <summary>
    /// The verifier for a run's devices: the one device's own verifier when there is one (no dispatch layer),
    /// else a <see cref="MultiDeviceVerifier"/> over all of them. CUDA_VISIBLE_DEVICES is read here.
    /// </summary>
    public static IVerifier For(string device, IReadOnlyList<int>? gpus, int visibleCount, Func<string, IVerifier> create)
    {
        var devices = DeviceList.Resolve(device, gpus, System.Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES"), visibleCount);
        return devices.Count == 1 ? create(devices[0].Label) : new MultiDeviceVerifier(devices, create);
    }

    public IReadOnlyList<GpuDevice> Devices => _lanes.Select(l => l.Device).ToList();

    /// <summary>The device a problem is pinned to, or null before its first candidate.</summary>
    public GpuDevice? PinnedDevice(string problemKey)
    {
        lock (_gate)
            return _pins.TryGetValue(problemKey, out var lane) ? lane.Device : null;
    }

    public async Task<Verdict> VerifyAsync(Problem problem, string candidateSource, CancellationToken cancellationToken)
    {
        var lane = Pin(problem.Key);
        await lane.Slots.WaitAsync(cancellationToken);
        try
        {
            var verdict = await lane.Verifier.VerifyAsync(problem, candidateSource, cancellationToken);
            return verdict with { Environment = (verdict.Environment ?? new EnvironmentInfo()) with { GpuIndex = lane.Device.Index } };
        }
        finally
        {
            lane.Slots.Release();
        }
    }

    private Lane Pin(string problemKey)
    {
        lock (_gate)
        {
            if (_pins.TryGetValue(problemKey, out var lane))
                return lane;
            lane = _lanes.OrderBy(l => l.Pinned).First(); // stable: ties go to the first listed device
            lane.Pinned++;
            _pins[problemKey] = lane;
            return lane;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes)
        {
            if (lane.Verifier is IAsyncDisposable a)
                await a.DisposeAsync();
            else if (lane.Verifier is IDisposable d)
                d.Dispose();
            lane.Slots.Dispose();
        }
    }
}
