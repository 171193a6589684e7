using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process: the benchmarks need the repository's data folder and a 0.5 GB score matrix, and
// an out-of-process toolchain would rebuild the project outside the artifacts layout.
var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(2).WithIterationCount(10));
BenchmarkSwitcher.FromAssembly(typeof(Spumr.Bench.Evaluation.EvaluationBenchmarks).Assembly).Run(args, config);
