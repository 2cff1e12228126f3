// QuickStart: a routing strategy, a streaming failover, a circuit breaker opening, and what it all cost.
// No API keys needed: three simulated providers play the parts, and every run prints the same story.
//   cheap    answers, at $0.15 / $0.60 per million input / output tokens
//   premium  answers, at $2.50 / $10.00
//   flaky    fails every call with a 503 (it is retried once, quickly), so its circuit breaker opens
// With OPENAI_API_KEY set, OpenAI joins the round robin.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using LlmProviders;
using LlmProviders.Costs;
using LlmProviders.Health;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

Console.OutputEncoding = Encoding.UTF8;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// 1. Register the providers, their resilience, and two routes (fallback chains).
bool withOpenAI = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OPENAI_API_KEY"));
var services = new ServiceCollection();
services.AddLlmProviders(llm =>
{
    if (withOpenAI)
    {
        llm.AddOpenAI("openai", o => o.DefaultModel = "gpt-4o-mini"); // reads the key from OPENAI_API_KEY
    }

    llm.AddSimulated("cheap", o => Simulate(o, "sim-small", 0.15m, 0.60m));
    llm.AddSimulated("premium", o => Simulate(o, "sim-large", 2.50m, 10.00m));
    llm.AddSimulated("flaky", o =>
    {
        Simulate(o, "sim-flaky", 0.15m, 0.60m);
        o.FailureRate = 1;                                    // every call fails …
        o.FailureKinds.Add(LlmErrorKind.ProviderUnavailable); // … with a 503, a transient error
    });
    llm.ConfigureResilience("flaky", o =>
    {
        o.Retry.MaxRetries = 1;                               // one retry per call …
        o.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);     // … after a few milliseconds (default: 2 retries from 1 s)
        o.CircuitBreaker.FailureThreshold = 4;                // 4 failures in a row open the circuit (default 5) …
        o.CircuitBreaker.BreakDuration = TimeSpan.FromMinutes(1); // … for a minute: calls skip flaky meanwhile
    });

    // "balanced" takes turns between its targets; "resilient" tries flaky first and fails over to cheap.
    llm.AddFallbackChain("balanced", chain =>
    {
        chain.Strategy = RoutingStrategyKind.RoundRobin;      // or LeastCost, Latency, HealthBased … (see README)
        if (withOpenAI)
        {
            chain.AddTarget("openai", "gpt-4o-mini");
        }

        chain.AddTarget("cheap", "sim-small").AddTarget("premium", "sim-large");
    });
    llm.AddFallbackChain("resilient", chain => chain.AddTarget("flaky", "sim-flaky").AddTarget("cheap", "sim-small"));
    llm.AddHealthMonitoring();                                // passive health from every call, plus checks on demand or on an interval
});

await using var provider = services.BuildServiceProvider();
provider.GetRequiredService<IStartupValidator>().Validate(); // invalid options fail here, with a message naming the fix
var balanced = provider.GetRequiredKeyedService<ILlmRouter>("balanced");
var resilient = provider.GetRequiredKeyedService<ILlmRouter>("resilient");

// 2. A routing strategy: round robin rotates the order on every call; the trace shows the order each call used.
Console.WriteLine($"Strategy: route \"balanced\" = {string.Join(" + ", balanced.GetTargets())}, RoundRobin takes turns");
PrintHeader();
int n = 0;
foreach (var prompt in new[] { "What is a fallback chain?", "Name three LLM providers.", "How is the cost of a call computed?" })
{
    await ChatAsync(balanced, prompt);
}

// 3. A streaming failover: flaky fails before its first update (after its retry), so cheap streams the answer instead.
Console.WriteLine();
Console.WriteLine($"Streaming failover: route \"resilient\" = {string.Join(" → ", resilient.GetTargets())}");
Console.Write("   ");
ChatStreamUpdate? final = null;
await foreach (var update in resilient.StreamAsync(new ChatRequest("Explain streaming failover in one paragraph.")))
{
    if (update.IsFinal)
    {
        final = update;
    }
    else
    {
        Console.Write(update.Text);
    }
}

Console.WriteLine();
PrintHeader();
PrintRow(++n, final!.ProviderName, final.Model, final.Usage, final.Cost, final.Trace);

// 4. A circuit opening: each call through "resilient" fails twice on flaky (the attempt and its retry). With the two failures
//    of the stream above, the next call makes 4 in a row and the circuit opens; later calls skip flaky without trying it.
Console.WriteLine();
Console.WriteLine("Circuit breaker: flaky keeps failing; after 4 failures in a row its circuit opens and calls skip it");
PrintHeader();
foreach (var prompt in new[] { "What does a circuit breaker do?", "Why skip a failing provider?", "When does the circuit close?" })
{
    await ChatAsync(resilient, prompt);
}

// 5. The cost report: every attempt the routers made (failed ones too) was recorded by the cost tracker.
var report = await provider.GetRequiredService<CostTracker>().GetReportAsync();
Console.WriteLine();
Console.WriteLine("Cost report (CostTracker.GetReportAsync): every attempt of every route; a failed one counts once, its retries included");
Console.WriteLine($"   {"",-9}  {"",-16}  {"calls",5}  {"failed",6}  {"in",5}  {"out",5}  {"cost (USD)",11}");
PrintSummaries("provider", report.ByProvider);
PrintSummaries("model", report.ByModel);
PrintSummary("total", string.Empty, report.Total);
Console.WriteLine($"   The total is {(report.Total.IsCostComplete ? "complete: every call's price was known" : $"a lower bound: {report.Total.UnknownCostCalls} calls of unknown cost")}.");

// 6. The health table: one check round now (a host runs them on an interval), merged with what the calls above showed.
var health = await provider.GetRequiredService<ILlmHealthMonitor>().CheckNowAsync();
Console.WriteLine();
Console.WriteLine("Health (ILlmHealthMonitor.CheckNowAsync): the last check, plus passive health from real traffic");
Console.WriteLine($"   {"provider",-9}  {"status",-9}  {"calls",5}  {"success",7}  {"circuit",-8}  message");
foreach (var h in health)
{
    Console.WriteLine($"   {h.ProviderName,-9}  {h.Status,-9}  {h.Requests,5}  {(h.SuccessRate is { } rate ? $"{rate:P0}" : "-"),7}  {h.CircuitState,-8}  {h.Message}");
}

return 0;

static void Simulate(LlmProviders.Simulation.SimulatedProviderOptions o, string model, decimal inputPrice, decimal outputPrice)
{
    o.Model = model;
    o.Seed = 13;                                   // same seed, same story every run
    o.Latency = TimeSpan.FromMilliseconds(20);     // time to the first token …
    o.TokenDelay = TimeSpan.FromMilliseconds(4);   // … and between tokens
    o.InputPricePerMillionTokens = inputPrice;     // prices make ChatResult.Cost and the cost report non-zero
    o.OutputPricePerMillionTokens = outputPrice;
}

async Task ChatAsync(ILlmRouter router, string prompt)
{
    try
    {
        var result = await router.ChatAsync(new ChatRequest(prompt));
        PrintRow(++n, result.ProviderName, result.Model, result.Usage, result.Cost, result.Trace);
    }
    catch (LlmProviderException ex)
    {
        Console.WriteLine($"{++n,2}  failed: {ex.Message}");
    }
}

static void PrintHeader() => Console.WriteLine($"{"#",2}  {"answered by",-11}  {"model",-10}  {"in",3}  {"out",3}  {"cost",10}  trace: the order tried, and why");

static void PrintRow(int number, string? providerName, string? model, Microsoft.Extensions.AI.UsageDetails? usage, decimal? cost, RoutingTrace? trace)
{
    string costText = cost is { } c ? $"${c:0.000000}" : "unknown";
    Console.WriteLine($"{number,2}  {providerName,-11}  {model,-10}  {usage?.InputTokenCount,3}  {usage?.OutputTokenCount,3}  {costText,10}  {Describe(trace)}");
}

// The decision trace: candidates in the order the strategy put them; tried ones matched with their attempts, in order.
static string Describe(RoutingTrace? trace)
{
    if (trace is null)
    {
        return string.Empty;
    }

    var parts = new List<string>();
    int attempt = 0;
    foreach (var candidate in trace.Candidates)
    {
        if (candidate.WasSkipped)
        {
            parts.Add(candidate.SkipReason == CandidateSkipReason.NotReached
                ? $"({candidate.ProviderName} next)"
                : $"{candidate.ProviderName} skipped: {candidate.SkipReason}");
        }
        else if (trace.Attempts[attempt++].Error is { } error)
        {
            parts.Add($"{candidate.ProviderName} ✗ {(error.StatusCode is { } status ? ((int)status).ToString(CultureInfo.InvariantCulture) : error.Kind.ToString())}");
        }
        else
        {
            parts.Add($"{candidate.ProviderName} ✓");
        }
    }

    return string.Join(" → ", parts);
}

static void PrintSummaries(string dimension, IReadOnlyDictionary<string, CostSummary> summaries)
{
    foreach (var (key, summary) in summaries)
    {
        PrintSummary(dimension, key, summary);
    }
}

static void PrintSummary(string dimension, string key, CostSummary s) =>
    Console.WriteLine($"   {dimension,-9}  {key,-16}  {s.Calls,5}  {s.Failures,6}  {s.InputTokens,5}  {s.OutputTokens,5}  {s.Cost,11:0.000000}{(s.IsCostComplete ? string.Empty : $" (+{s.UnknownCostCalls} unknown)")}");
