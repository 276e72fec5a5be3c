namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// One point of the anytime curve: had every problem's budget stopped at Step (minutes of charged time, or attempts),
/// the share of the level's problems with a correct attempt within it, and with a correct attempt faster than the reference.
/// </summary>
public sealed record BudgetPoint(int? Level, string Unit, double Step, int Problems, int Correct, double CorrectShare, int Fast1, double Fast1Share)
{
    public const string Minutes = "minutes";
    public const string AttemptsUnit = "attempts";

    public string LevelText => Level?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all";
}
