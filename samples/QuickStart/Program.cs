// QuickStart: routes a few requests through a fallback chain and shows who answered, what it cost, and every failover.
// No API keys needed: "primary" is a simulated provider that fails about 40 % of calls with 429s and 503s, and
// "backup" is a simulated provider that always answers. With OPENAI_API_KEY set, OpenAI goes first.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LlmProviders;
using LlmProviders.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

Console.OutputEncoding = Encoding.UTF8;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// 1. Register the providers and the chain that tries them in order.
bool withOpenAI = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OPENAI_API_KEY"));
var services = new ServiceCollection();
services.AddLlmProviders(llm =>
{
    if (withOpenAI)
    {
        llm.AddOpenAI("openai", o => o.DefaultModel = "gpt-4o-mini"); // reads the key from OPENAI_API_KEY
    }

    llm.AddSimulated("primary", o =>
    {
        o.Model = "sim-fast";
        o.Seed = 13;                                          // same seed, same story every run
        o.FailureRate = 0.4;                                  // about 40 % of calls fail …
        o.FailureKinds.Add(LlmErrorKind.RateLimited);         // … with a 429 (and a Retry-After)
        o.FailureKinds.Add(LlmErrorKind.ProviderUnavailable); // … or a 503
        o.MinLatency = TimeSpan.FromMilliseconds(30);
        o.MaxLatency = TimeSpan.FromMilliseconds(90);
        o.TokenDelay = TimeSpan.FromMilliseconds(8);
        o.InputPricePerMillionTokens = 0.15m;
        o.OutputPricePerMillionTokens = 0.60m;
    });
    llm.AddSimulated("backup", o =>
    {
        o.Model = "sim-steady";
        o.Latency = TimeSpan.FromMilliseconds(60);
        o.TokenDelay = TimeSpan.FromMilliseconds(8);
        o.InputPricePerMillionTokens = 2.50m;
        o.OutputPricePerMillionTokens = 10.00m;
    });
    llm.AddFallbackChain(chain =>
    {
        if (withOpenAI)
        {
            chain.AddTarget("openai", "gpt-4o-mini");
        }

        chain.AddTarget("primary").AddTarget("backup");
    });
});

await using var provider = services.BuildServiceProvider();
provider.GetRequiredService<IStartupValidator>().Validate(); // invalid options fail here, with a message naming the fix
var router = provider.GetRequiredService<ILlmRouter>();

Console.WriteLine($"Chain: {string.Join(" → ", router.GetTargets())}{(withOpenAI ? string.Empty : "   (set OPENAI_API_KEY to put OpenAI first)")}");
Console.WriteLine();

// 2. Send a handful of requests and print, for each, who answered and how.
string[] prompts =
[
    "What is a fallback chain?",
    "Why should a client honour Retry-After?",
    "Name three LLM providers.",
    "How is the cost of a call computed?",
    "What does a circuit breaker do?",
];

var calls = new List<(string Provider, decimal? Cost, int Failovers)>();
Console.WriteLine($"{"#",2}  {"provider",-9}  {"model",-12}  {"in",4}  {"out",4}  {"latency",9}  {"cost",10}  attempts");
int n = 0;
foreach (var prompt in prompts)
{
    n++;
    try
    {
        var result = await router.ChatAsync(new ChatRequest(prompt));
        PrintRow(n, result.ProviderName, result.Model, result.Usage, result.Latency, result.Cost, result.Trace);
    }
    catch (LlmProviderException ex)
    {
        Console.WriteLine($"{n,2}  failed: {ex.Message}");
    }
}

// 3. Stream one answer, printing each piece as it arrives; the final update carries usage, cost and the trace.
n++;
const string StreamPrompt = "Explain streaming failover in one paragraph.";
Console.WriteLine();
Console.WriteLine($"Streaming: {StreamPrompt}");
try
{
    ChatStreamUpdate? final = null;
    await foreach (var update in router.StreamAsync(new ChatRequest(StreamPrompt)))
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
    Console.WriteLine();
    PrintRow(n, final!.ProviderName, final.Model, final.Usage, final.Latency ?? TimeSpan.Zero, final.Cost, final.Trace);
}
catch (LlmProviderException ex)
{
    Console.WriteLine();
    Console.WriteLine($"{n,2}  failed: {ex.Message}");
}

// 4. Summary.
Console.WriteLine();
var byProvider = calls.GroupBy(c => c.Provider).Select(g => $"{g.Key} {g.Count()}");
Console.WriteLine($"Summary: {calls.Count} calls answered; by provider: {string.Join(", ", byProvider)}; " +
                  $"total cost ${calls.Sum(c => c.Cost ?? 0m):0.000000}{UnknownCosts()}; failovers {calls.Sum(c => c.Failovers)}.");
return 0;

void PrintRow(int number, string? providerName, string? model, Microsoft.Extensions.AI.UsageDetails? usage, TimeSpan latency, decimal? cost, RoutingTrace? trace)
{
    var attempts = trace is null
        ? string.Empty
        : string.Join(" → ", trace.Attempts.Select(a => a.Succeeded
            ? $"{a.ProviderName} ✓"
            : $"{a.ProviderName} ✗ {(a.Error!.StatusCode is { } status ? ((int)status).ToString(CultureInfo.InvariantCulture) : a.Error.Kind.ToString())}"));
    string costText = cost is { } c ? $"${c:0.000000}" : "unknown";
    Console.WriteLine($"{number,2}  {providerName,-9}  {model,-12}  {usage?.InputTokenCount,4}  {usage?.OutputTokenCount,4}  {latency.TotalMilliseconds,6:0} ms  {costText,10}  {attempts}");
    calls.Add((providerName ?? "?", cost, trace is null ? 0 : trace.Attempts.Count(a => !a.Succeeded)));
}

// Real providers report cost once the model catalog knows their prices; until then a cost is unknown, never $0.
string UnknownCosts() => calls.Count(c => c.Cost is null) is var unknown and > 0 ? $" (+{unknown} calls of unknown cost)" : string.Empty;
