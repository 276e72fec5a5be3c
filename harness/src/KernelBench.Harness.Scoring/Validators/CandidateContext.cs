using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>What a static validator sees: the problem, the candidate's source and the backend it claims.</summary>
public sealed record CandidateContext(Problem Problem, string Source, string Backend);
