using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Pec.Bench.Signing.SigningBenchmarks).Assembly).Run(args);
