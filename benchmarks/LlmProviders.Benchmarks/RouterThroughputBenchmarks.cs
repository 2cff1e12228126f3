using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmProviders.Benchmarks.Infrastructure;
using LlmProviders.Routing;

namespace LlmProviders.Benchmarks;

/// <summary>
/// SPEC P4, the router under concurrency: 1,000 calls started together and awaited with <c>Task.WhenAll</c>, directly (baseline)
/// and through a one-target fallback chain built by <c>AddLlmProviders</c> with default options. Reported per call; target: the
/// router within 10 % of direct, and no lock convoy (the router's time per call here not above its time per call in P3).
/// </summary>
/// <remarks>
/// Two providers (<see cref="Yielding"/>): an instant one that completes synchronously — the 1,000 calls then run one after the
/// other on the calling thread — and one that yields once before answering, so the 1,000 calls really are in flight together
/// and the router's shared state (target statistics, resilience counters and timers, the cost ledger) is hit from every core.
/// Measured 2026-12-04 on the 2-core CI machine (<c>--job short</c>, busy), per call: synchronous — Direct 12 ns / 16 B, Router
/// 794 ns / 248 B; yielding — Direct 212 ns / 128 B, Router 1.46 µs (error ± 0.59 µs) / 2,208 B (the async state machines of
/// the chain, the resilience and Polly's retry, and timeout sources beyond what the pool keeps when 1,000 calls are in flight).
/// </remarks>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class RouterThroughputBenchmarks
{
    private const int Calls = 1_000;

    private readonly ChatRequest _request = new("ping");
    private readonly Task<ChatResult>[] _tasks = new Task<ChatResult>[Calls];
    private InstantProvider _provider = null!;
    private RouterSetup _setup = null!;
    private ILlmRouter _router = null!;

    /// <summary>Gets or sets a value indicating whether the provider yields once before answering (see the remarks).</summary>
    [Params(false, true)]
    public bool Yielding { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _provider = new InstantProvider("instant", yieldFirst: Yielding);
        _setup = new RouterSetup(_provider);
        _router = _setup.Router;
        RouterSetup.Verify(await _router.ChatAsync(_request), _provider);
    }

    [GlobalCleanup]
    public void Cleanup() => _setup.Dispose();

    /// <summary>1,000 concurrent calls to the provider.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public Task Direct() => RunAsync(_provider);

    /// <summary>1,000 concurrent calls through the router.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public Task Router() => RunAsync(_router);

    private Task<ChatResult[]> RunAsync(ILlmProvider provider)
    {
        var tasks = _tasks;
        for (int i = 0; i < tasks.Length; i++)
        {
            tasks[i] = provider.ChatAsync(_request);
        }

        return Task.WhenAll(tasks);
    }
}
