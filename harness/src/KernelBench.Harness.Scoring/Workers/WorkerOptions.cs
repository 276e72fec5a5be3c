namespace KernelBench.Harness.Scoring.Workers;

/// <summary>Limits for one worker process. Defaults suit a CPU machine building C++ extensions; all are range-checked.</summary>
public sealed record WorkerOptions
{
    /// <summary>Most time a candidate's import may take, builds included. Default 600 s (a cold CUDA build takes ~70 s).</summary>
    public TimeSpan BuildTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Most time one correctness-and-timing check may take. Default 300 s.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Most time measuring a reference may take. Default 600 s (large Level 1 inputs are slow to make).</summary>
    public TimeSpan ReferenceTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>
    /// Most time a job may wait for its GPU while another worker on the same GPU holds it (checks and references take
    /// turns on a GPU; see kbh_gpu_turn.py). Not counted in the job's own limit. Default 30 min.
    /// </summary>
    public TimeSpan GpuWaitTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Folder of the per-GPU locks that workers on one GPU take turns with, shared by every harness process of this
    /// user on the machine (two `kbh eval` runs on one GPU never time beside each other); null: no turns.
    /// </summary>
    public string? GpuLockFolder { get; init; } = DefaultGpuLockFolder();

    public static string DefaultGpuLockFolder() =>
        Path.Combine(Path.GetTempPath(), "kbh-gpu-locks-" + System.Environment.UserName);

    /// <summary>Most time Python may take to start and import torch. Default 120 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Python executable; null means <see cref="PythonLocator.Locate"/>.</summary>
    public string? Python { get; init; }

    /// <summary>Folder for the extracted worker, capture files and extension builds; null means the user cache.</summary>
    public string? CacheRoot { get; init; }

    /// <summary><see cref="CacheRoot"/>, or the user cache (<see cref="WorkerScript.DefaultCacheRoot"/>) when it is null.</summary>
    public string CacheFolder => CacheRoot ?? WorkerScript.DefaultCacheRoot();

    /// <summary>
    /// Builds through the compiler launcher (kbh_cc.py: per-object cache, light torch headers for kernel files, each
    /// falling back to the plain compile); false: torch's own build, still cached per extension.
    /// </summary>
    public bool FastBuilds { get; init; } = true;

    /// <summary>
    /// With <see cref="FastBuilds"/>: compile bindings files against a precompiled torch/extension.h, built once per
    /// compiler and flags. Pays off over many builds (GPU runs); the first build pays for the header.
    /// </summary>
    public bool PrecompiledHeaders { get; init; }

    /// <summary>
    /// Run the worker (and the compilers it starts, which inherit it) at the lowest CPU priority (nice 19). Build
    /// workers run so: builds then take the cores a GPU worker leaves idle, and never slow the host side of a timed
    /// launch-bound model (on the H200 run of 2026-12-02, references timed beside 16 builds at normal priority came
    /// out up to 17% slower than alone).
    /// </summary>
    public bool LowPriority { get; init; }

    /// <summary>
    /// The cores the worker and every process it starts may run on (<see cref="CpuPlan"/>); null: wherever the harness
    /// may. The worker sets its own affinity before importing torch, so torch's thread pool fits the set.
    /// </summary>
    public IReadOnlyList<int>? Cpus { get; init; }

    /// <summary>
    /// Cores beyond <see cref="Cpus"/> that the worker's own parallel host work may also use: kbh_fast_fill's weight and
    /// input draws and the memo's copies, on threads of the worker's (never a candidate's code, never the thread that
    /// launches timed kernels). A GPU worker gets the build workers' cores here (<see cref="CpuPlan.HostPool"/>): its
    /// threads at normal priority run ahead of the builds' nice-19 compilers, and the cores are idle when nothing
    /// builds. Null: only <see cref="Cpus"/>.
    /// </summary>
    public IReadOnlyList<int>? HostCpus { get; init; }

    /// <summary>host_draws: own: the worker's parallel draws stay on <see cref="Cpus"/> (KBH_HOST_CORES=0 to the worker).</summary>
    public bool HostDrawsOwnCoresOnly { get; init; }

    /// <summary>pinned_gib: GiB page-locked for GPU copies (KBH_PINNED_GIB to the worker); null: the worker's default.</summary>
    public double? PinnedGib { get; init; }

    /// <summary>init_memo_gib: GiB of weight fills kept to copy into the candidate (KBH_INIT_MEMO_BYTES to the worker).</summary>
    public double InitMemoGib { get; init; } = 16;

    /// <summary>What `builds` settings say: "fast" (launcher, precompiled headers on a GPU) or "plain".</summary>
    public static WorkerOptions ForBuilds(WorkerOptions options, string builds, string device) => options with
    {
        FastBuilds = builds != "plain",
        PrecompiledHeaders = builds != "plain" && device.StartsWith("cuda", StringComparison.Ordinal),
    };

    /// <summary>Time source for the limits (tests use a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public WorkerOptions Validated()
    {
        Check(BuildTimeout, nameof(BuildTimeout));
        Check(CheckTimeout, nameof(CheckTimeout));
        Check(ReferenceTimeout, nameof(ReferenceTimeout));
        Check(StartTimeout, nameof(StartTimeout));
        Check(GpuWaitTimeout, nameof(GpuWaitTimeout));
        return this;
    }

    private static void Check(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(6))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 0 and 6 hours.");
    }
}
