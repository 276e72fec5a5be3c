namespace KernelBench.Harness.Reports.Model;

/// <summary>Correct problems counted by speedup range (a, b], for the speedup-distribution plot (ranges on a log scale around 1x).</summary>
public static class SpeedupBins
{
    public static readonly double[] Edges = [0.5, 0.8, 1.0, 1.25, 2.0, 4.0];

    public static IReadOnlyList<(string Label, int Count)> Compute(IReadOnlyList<ProblemRow> rows)
    {
        var speedups = rows.Where(r => r.IsCorrect && r.Speedup is > 0).Select(r => r.Speedup!.Value).ToList();
        var labels = new List<string> { $"<={Format.Num(Edges[0])}x" };
        for (var i = 1; i < Edges.Length; i++)
            labels.Add($"{Format.Num(Edges[i - 1])}-{Format.Num(Edges[i])}x");
        labels.Add($">{Format.Num(Edges[^1])}x");
        var counts = new int[labels.Count];
        foreach (var s in speedups)
        {
            var bin = 0;
            while (bin < Edges.Length && s > Edges[bin])
                bin++;
            counts[bin]++;
        }
        return labels.Select((l, i) => (l, counts[i])).ToList();
    }
}
