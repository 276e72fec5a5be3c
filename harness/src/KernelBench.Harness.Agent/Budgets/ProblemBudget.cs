using KernelBench.Harness.Config;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Agent.Budgets;

/// <summary>
/// One problem's budget across its chains: attempts and output tokens are summed over chains; wall-clock is each chain's
/// own charged seconds (chains run side by side, so the problem's clock is the longest chain's). The first limit reached
/// ends the problem. Attempts are reserved before they start, so parallel chains never overshoot the attempt limit, and
/// each chain may take at most its share of them (the limit divided by the chains, rounded up): which chain gets an
/// attempt never depends on which answered faster, so a rerun spends the budget the same way.
/// </summary>
public sealed class ProblemBudget
{
    private readonly BudgetSettings _limits;
    private readonly Dictionary<int, double> _chainSeconds = [];
    private readonly Dictionary<int, int> _chainAttempts = [];
    private readonly int _chains;
    private readonly object _gate = new();
    private int _attempts;
    private long _tokens;

    /// <param name="unfinishedChains">The chain of each attempt an earlier run started and never finished: counted now
    /// (it was reserved then), charged when it finishes.</param>
    public ProblemBudget(BudgetSettings limits, IEnumerable<AttemptRecord> earlier, int chains = 1, IEnumerable<int>? unfinishedChains = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chains, 1);
        _limits = limits;
        _chains = chains;
        foreach (var a in earlier)
        {
            _attempts++;
            _chainAttempts[a.Chain] = _chainAttempts.GetValueOrDefault(a.Chain) + 1;
            Charge(a.Chain, a.ChargedSeconds, a.CompletionTokens ?? 0);
        }
        foreach (var chain in unfinishedChains ?? [])
        {
            _attempts++;
            _chainAttempts[chain] = _chainAttempts.GetValueOrDefault(chain) + 1;
        }
    }

    public int Attempts { get { lock (_gate) return _attempts; } }
    public long Tokens { get { lock (_gate) return _tokens; } }
    public double ChainSeconds(int chain) { lock (_gate) return _chainSeconds.GetValueOrDefault(chain); }

    /// <summary>Reserves one attempt for the chain; null when it may start, else which limit is reached.</summary>
    public string? TryReserve(int chain)
    {
        lock (_gate)
        {
            if (_limits.Attempts is { } a && _attempts >= a)
                return $"attempt budget reached ({a})";
            if (_limits.Attempts is { } total && _chains > 1 && _chainAttempts.GetValueOrDefault(chain) >= (total + _chains - 1) / _chains)
                return $"attempt budget reached (this chain's share, {(total + _chains - 1) / _chains} of {total})";
            if (_limits.Tokens is { } t && _tokens >= t)
                return $"token budget reached ({_tokens} of {t})";
            if (_limits.Minutes is { } m && _chainSeconds.GetValueOrDefault(chain) >= m * 60)
                return $"time budget reached ({m:0.##} min)";
            _attempts++;
            _chainAttempts[chain] = _chainAttempts.GetValueOrDefault(chain) + 1;
            return null;
        }
    }

    /// <summary>Gives back a reservation that produced no attempt (a replay with no more answers).</summary>
    public void Release(int chain)
    {
        lock (_gate)
        {
            _attempts--;
            _chainAttempts[chain]--;
        }
    }

    /// <summary>Charges a finished attempt; returns the chain's clock after it.</summary>
    public double Charge(int chain, double seconds, long tokens)
    {
        lock (_gate)
        {
            _tokens += tokens;
            return _chainSeconds[chain] = _chainSeconds.GetValueOrDefault(chain) + seconds;
        }
    }
}
