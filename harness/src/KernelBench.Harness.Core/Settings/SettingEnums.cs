using System.Text.Json.Serialization;

namespace KernelBench.Harness.Core.Settings;

// The value sets of the settings. A value's name in YAML, on the command line and in JSON is the member's name in
// snake_case (TimingMethod.CudaEvent is cuda_event), or its [JsonStringEnumMemberName] where snake_case cannot spell
// it (kernelbench-static), so these names are part of the file formats.

/// <summary>What inputs and weights are cast to; sets the default tolerance.</summary>
public enum Precision { Fp32, Fp16, Bf16 }

/// <summary>How a call is timed (<see cref="KernelBench.Harness.Scoring.Verdicts.TimingMethods"/>); kernelbench: KernelBench's own
/// cuda_event measurement, step for step (docs/timing-parity.md).</summary>
public enum TimingMethod { CudaEvent, DoBench, HostTime, Kernelbench }

/// <summary>When the reference is timed: beside each candidate, trial by trial, or once per problem (KernelBench's way).</summary>
public enum TimingOrder { Interleaved, Separate }

/// <summary>Where get_inputs() runs: on the CPU (as KernelBench) or on the GPU (faster, other values).</summary>
public enum InputsPlace { Cpu, Device }

/// <summary>The candidates' OS sandbox: every part the machine allows, every part or refuse, or none.</summary>
public enum SandboxMode { Auto, Require, Off }

/// <summary>fast: kbh's compiler launcher, each shortcut falling back to the plain compile; plain: torch's own build.</summary>
public enum BuildMode { Fast, Plain }

/// <summary>What candidates are written in.</summary>
public enum Backend { Cuda, Cpp, Triton, Tilelang, Cute, Thunderkittens, Pytorch }

/// <summary>Where a GPU worker's parallel draws of seeded weights and inputs run: also on the build workers' cores, or on its own only.</summary>
public enum HostDraws { Shared, Own }

/// <summary>Which findings reject a candidate (<see cref="KernelBench.Harness.Scoring.Verdicts.Policies"/>, docs/scoring.md).</summary>
public enum Policy { Kernelbench, [JsonStringEnumMemberName("kernelbench-static")] KernelbenchStatic, Evidence, Strict }
