using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmProviders.Benchmarks.Infrastructure;
using LlmProviders.Routing;

namespace LlmProviders.Benchmarks;

/// <summary>
/// SPEC P3, the router's overhead per call: the same instant provider (answers at once with a cached <see cref="ChatResult"/>)
/// called directly (baseline) and through a one-target fallback chain built by <c>AddLlmProviders</c> with default options —
/// strategy, filters (circuit state, rate-limit headroom), the target's resilience pipeline, cost accounting into the in-memory
/// ledger, statistics and the decision trace. Target: the difference ≤ 2 µs and ≤ 512 B per call.
/// </summary>
/// <remarks>
/// Measured 2026-12-04 on the 2-core CI machine (<c>--job short</c>, load average ≈ 3–7 from other builds): Direct 0.5 ns, 0 B;
/// Router 775 ns (error ± 88 ns), 232 B — both within the target (before the allocation work: ≈ 0.8–1.3 µs, 824–840 B).
/// What is left is what the caller gets: the <see cref="RoutingTrace"/> (its first candidate and attempt inline), its
/// <see cref="RoutingAttempt"/>, and the <see cref="System.Threading.Tasks.Task{TResult}"/> of the chain's async method. The
/// resilience call scope, the attempt's state and the per-call scratch state allocate nothing when the provider completes at once.
/// </remarks>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class RouterOverheadBenchmarks
{
    private readonly ChatRequest _request = new("ping");
    private InstantProvider _provider = null!;
    private RouterSetup _setup = null!;
    private ILlmRouter _router = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _provider = new InstantProvider("instant");
        _setup = new RouterSetup(_provider);
        _router = _setup.Router;
        RouterSetup.Verify(await _router.ChatAsync(_request), _provider);
    }

    [GlobalCleanup]
    public void Cleanup() => _setup.Dispose();

    /// <summary>The provider called directly.</summary>
    [Benchmark(Baseline = true)]
    public Task<ChatResult> Direct() => _provider.ChatAsync(_request);

    /// <summary>The same provider through the router.</summary>
    [Benchmark]
    public Task<ChatResult> Router() => _router.ChatAsync(_request);
}
