using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Usage (see benchmarks/README.md):
//   dotnet run -c Release --project benchmarks/LlmProviders.Benchmarks -- --filter '*'               (default job, minutes)
//   dotnet run -c Release --project benchmarks/LlmProviders.Benchmarks -- --filter '*' --job short   (ShortRun)
//   dotnet run -c Release --project benchmarks/LlmProviders.Benchmarks -- --filter '*' --quick       (fastest: 1 warmup, 3 iterations)
IConfig config = DefaultConfig.Instance;
if (args.Contains("--quick", StringComparer.OrdinalIgnoreCase))
{
    args = args.Where(a => !string.Equals(a, "--quick", StringComparison.OrdinalIgnoreCase)).ToArray();
    config = config.AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithId("Quick"));
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
