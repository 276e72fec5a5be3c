using BenchmarkDotNet.Running;

// `dotnet run -c Release --project harness/benchmarks/KernelBench.Harness.Benchmarks -- --filter '*'`
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
