// ConfigDriven: the whole system from appsettings.json (+ user secrets + environment variables), no provider code.
// Without keys, three simulated providers answer (every run prints the same story); with OPENAI_API_KEY or ANTHROPIC_API_KEY
// (environment or `dotnet user-secrets set "LlmProviders:Providers:openai:ApiKey" sk-…`), the real providers join their routes:
// they are marked "Optional", so a missing key skips them instead of failing the start.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using LlmProviders;
using LlmProviders.Costs;
using LlmProviders.Health;
using LlmProviders.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

Console.OutputEncoding = Encoding.UTF8;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// 1. Configuration: appsettings.json, then user secrets, then environment variables (later sources win).
//    reloadOnChange: edit a key in appsettings.json while the app runs and the next request uses it.
var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: false, reloadOnChange: true)
    .AddUserSecrets(typeof(Program).Assembly, optional: true)
    .AddEnvironmentVariables()
    .Build();

// 2. One call builds providers, routes, the router's strategy, resilience and the budget from the "LlmProviders" section.
var services = new ServiceCollection();
services.AddLlmProviders(configuration.GetSection("LlmProviders"));
await using var provider = services.BuildServiceProvider();
provider.GetRequiredService<IStartupValidator>().Validate(); // every configuration problem at once, each naming its path

var router = provider.GetRequiredService<ILlmRouter>();
var names = new List<string>();
foreach (var status in provider.GetRequiredService<ILlmProviderManager>().ListProviders())
{
    names.Add(status.Name);
}

Console.WriteLine($"Providers and routes: {string.Join(", ", names)}");

// 3. A few requests through the routes; each answer says which provider served it and what it cost.
Console.WriteLine($"{"route",-18}  {"answered by",-11}  {"model",-18}  {"cost",10}  answer");
foreach (var (route, prompt) in new (string?, string)[]
{
    (null, "What is a fallback chain?"),                       // the "default" route
    ("code_generation", "Write a C# record for a point."),
    ("local_development", "Say hello from the local model."),
    (null, "How is the cost of a call computed?"),
    ("code_generation", "Write a C# record for a point."),   // again: premium has EnableCaching, so the cache answers at $0
})
{
    try
    {
        var result = await router.ChatAsync(new ChatRequest(prompt) { RouteName = route });
        string cost = result.Cost is { } c ? $"${c:0.000000}" : "unknown";
        Console.WriteLine($"{route ?? "default",-18}  {result.ProviderName,-11}  {result.Model,-18}  {cost,10}  {(result.FromCache ? "(from the cache) " : string.Empty)}{Shorten(result.Text)}");
    }
    catch (LlmProviderException ex)
    {
        Console.WriteLine($"{route ?? "default",-18}  failed: {ex.Message}");
    }
}

// 4. Health: HealthCheckInterval in appsettings.json turns the monitor on (a host runs it on that interval; here one
//    round runs now), merged with passive health from the calls above.
var health = await provider.GetRequiredService<ILlmHealthMonitor>().CheckNowAsync();
Console.WriteLine();
Console.WriteLine("Health");
Console.WriteLine($"   {"provider",-12}  {"status",-9}  {"check",7}  {"calls",5}  {"success",7}  {"circuit",-8}  message");
foreach (var h in health)
{
    string latency = h.LastCheckLatency is { } l ? $"{l.TotalMilliseconds:0} ms" : "-";
    string success = h.SuccessRate is { } rate ? $"{rate:P0}" : "-";
    Console.WriteLine($"   {h.ProviderName,-12}  {h.Status,-9}  {latency,7}  {h.Requests,5}  {success,7}  {h.CircuitState,-8}  {h.Message}");
}

// 5. The cost report: every call the routes made, by provider and in total; the "daily" budget's status.
var report = await provider.GetRequiredService<CostTracker>().GetReportAsync();
Console.WriteLine();
Console.WriteLine("Cost report");
foreach (var (name, summary) in report.ByProvider)
{
    Print(name, summary);
}

Print("total", report.Total);
foreach (var budget in await provider.GetRequiredService<BudgetManager>().GetStatusAsync())
{
    Console.WriteLine($"   budget '{budget.BudgetName}' ({budget.Period}): ${budget.Spent:0.000000} of ${budget.Limit:0.00} spent, ${budget.Remaining:0.000000} left");
}

return 0;

static void Print(string key, CostSummary s) =>
    Console.WriteLine($"   {key,-12}  {s.Calls,3} calls  {s.InputTokens,5} in  {s.OutputTokens,5} out  ${s.Cost:0.000000}");

static string Shorten(string? text)
{
    text = (text ?? string.Empty).ReplaceLineEndings(" ");
    return text.Length <= 60 ? text : text[..57] + "...";
}
