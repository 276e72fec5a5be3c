namespace KernelBench.Harness.Scoring.Workers;

/// <summary>
/// The environment a worker gets: only variables on an allow-list, so API keys, tokens and other secrets of the
/// harness's environment never reach candidate code.
/// </summary>
public static class WorkerEnvironment
{
    private static readonly string[] Exact =
    [
        "PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TERM",
        "LD_LIBRARY_PATH", "CC", "CXX", "MAX_JOBS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "XDG_CACHE_HOME",
        "TRITON_CACHE_DIR", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV",
        "CPATH", "LIBRARY_PATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "SHELL",
        "KBH_FAST_FILL", // 0: torch draws every uniform_/normal_ itself, serially (kbh_fast_fill.py)
        "THP_MEM_ALLOC_ENABLE", // torch's huge pages for large CPU tensors; the worker sets 1 unless given
        "KBH_CANDIDATE_MEMORY_BYTES", // the host memory one candidate's process may hold (its memory cgroup); default 3/4 of the host's
        "KBH_SPARES", // 0: no candidate process started ahead, as with the sandbox off (to measure the sandbox alone)
        "KBH_END", // wait: a candidate's process ends before its check answers, on the lane's path (to measure the difference)
    ];

    private static readonly string[] Prefixes = ["CUDA_", "TORCH_", "NVIDIA_", "NCCL_", "PYTORCH_", "CUDNN_", "NVCC_"];

    // Names that look allowed by prefix but may carry credentials.
    private static readonly string[] Forbidden = ["KEY", "TOKEN", "SECRET", "PASSWORD", "CREDENTIAL", "AUTH"];

    public static bool IsAllowed(string name)
    {
        if (Forbidden.Any(f => name.Contains(f, StringComparison.OrdinalIgnoreCase)))
            return false;
        return Exact.Contains(name, StringComparer.Ordinal) || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
    }

    /// <summary>The allowed subset of <paramref name="source"/> (the current process's environment by default).</summary>
    public static Dictionary<string, string> Build(IDictionary<string, string>? source = null)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (source is null)
        {
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
                if (e.Key is string k && e.Value is string v && IsAllowed(k))
                    result[k] = v;
            return result;
        }
        foreach (var (k, v) in source)
            if (IsAllowed(k))
                result[k] = v;
        return result;
    }
}
