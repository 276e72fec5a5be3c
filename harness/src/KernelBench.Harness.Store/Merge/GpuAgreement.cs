namespace KernelBench.Harness.Store.Merge;

/// <summary>
/// Shards judged on different GPU models cannot make one run: a speedup on an H100 and one on an A100 are different
/// numbers, and a leaderboard row names one GPU. Refused with the models and the folders that used them.
/// </summary>
public static class GpuAgreement
{
    public static string? Check(IReadOnlyList<RunStore> stores)
    {
        var models = stores
            .SelectMany(s => s.ReadAttempts().Attempts.Select(a => (Gpu: a.Verdict?.Environment?.GpuName ?? "", s.Folder)))
            .Where(x => x.Gpu.Length > 0).Distinct()
            .GroupBy(x => x.Gpu, x => x.Folder).ToList();
        if (models.Count <= 1)
            return null;
        var list = string.Join("; ", models.Select(g => $"{g.Key} in {string.Join(", ", g.Distinct())}"));
        return $"the shards were judged on different GPU models ({list}); speedups would mix GPUs. Run every shard on one model "
               + "(a partition of one GPU model, or `kbh slurm submit --constraint`), or keep the runs apart.";
    }
}
