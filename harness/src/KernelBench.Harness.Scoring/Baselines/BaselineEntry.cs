namespace KernelBench.Harness.Scoring.Baselines;

/// <summary>One problem's reference timing in KernelBench's baseline JSON (results/timing/&lt;gpu&gt;/baseline_time_*.json).</summary>
public sealed record BaselineEntry(double Mean, double Std, double Min, double Max, int NumTrials, string Hardware, string Device);
