namespace KernelBench.Harness.Scoring;

/// <summary>A verifier that owns worker processes: whoever creates it disposes it, which stops them.</summary>
public interface IDisposableVerifier : IVerifier, IDisposable;
