using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Scoring;

/// <summary>
/// A verifier that can get ready for a problem before any candidate of it can be judged: start its worker and measure
/// the problem's reference while the candidate is still being built (or, in the agent loop, still being written by the
/// model), so the check starts the moment the candidate is ready.
/// </summary>
public interface IPreparingVerifier
{
    /// <summary>
    /// Starts the worker and measures the reference of <paramref name="problem"/> where that worker is idle; returns at
    /// once where it is busy with another candidate (whose problem it then keeps). Never judges anything: a reference
    /// that fails here is measured again, and its failure reported, by the next <see cref="IVerifier.VerifyAsync"/>.
    /// </summary>
    Task PrepareAsync(Problem problem, CancellationToken cancellationToken);

    /// <summary>
    /// Starts every check worker now, before any problem is known (a worker's Python, PyTorch and CUDA start take seconds
    /// that would otherwise come after the problems are loaded). Best effort: a worker that fails to start here is
    /// started again, and its failure reported, by the next <see cref="IVerifier.VerifyAsync"/>.
    /// </summary>
    Task WarmUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
