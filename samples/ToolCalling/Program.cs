// ToolCalling: seed 002's register_tool("get_weather", get_weather) in .NET. The SDK runs the loop: the model asks for
// get_weather, the function runs, its result goes back, the model answers; usage and cost are summed over the loop.
// No API key needed: a simulated provider plays a model scripted to call get_weather (its final answer is fixed text).
// With OPENAI_API_KEY set, gpt-4o-mini answers instead.
using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using LlmProviders;
using LlmProviders.Simulation;
using LlmProviders.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

Console.OutputEncoding = Encoding.UTF8;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

bool withOpenAI = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OPENAI_API_KEY"));
var services = new ServiceCollection();
services.AddLlmProviders(llm =>
{
    if (withOpenAI)
    {
        llm.AddOpenAI("openai", o => o.DefaultModel = "gpt-4o-mini"); // reads the key from OPENAI_API_KEY
    }
    else
    {
        llm.AddSimulated("simulated", o =>
        {
            o.ToolCalls.Add(new SimulatedToolCall { Name = "get_weather", Arguments = """{"location":"New York"}""" });
            o.ResponseText = "It is 20°C and sunny in New York.";
            o.InputPricePerMillionTokens = 0.15m;
            o.OutputPricePerMillionTokens = 0.60m;
        });
    }

    // register_tool("get_weather", get_weather): the schema comes from the parameters; the loop is on for the unkeyed provider.
    llm.AddTool("get_weather", (string location) =>
    {
        Console.WriteLine($"   [tool] get_weather(location: \"{location}\")");
        return new WeatherReport(location, "20°C", "Sunny");
    }, "Get weather information");
    llm.AddToolInvocation(o => o.MaxIterations = 5);
});

await using var sp = services.BuildServiceProvider();
sp.GetRequiredService<IStartupValidator>().Validate();
var llmProvider = sp.GetRequiredService<ILlmProvider>(); // the router, running the tool loop

// 1. A whole answer, with every step of the loop.
var request = new ChatRequest("What's the weather in New York?") { Priority = RequestPriority.High };
var result = (LlmToolLoopResult)await llmProvider.ChatAsync(request);
Console.WriteLine($"Response: {result.Text}");
Console.WriteLine($"Provider used: {result.ProviderName}, model: {result.Model}");
for (int i = 0; i < result.Steps.Count; i++)
{
    var step = result.Steps[i];
    string calls = string.Join(", ", step.Response.ToolCalls.Select(c => $"{c.Name}({JsonSerializer.Serialize(c.Arguments, Readable.Json)})"));
    string results = string.Join(", ", step.ToolResults.Select(r => JsonSerializer.Serialize(r.Result, Readable.Json)));
    Console.WriteLine($"   step {i + 1}: {step.Response.Usage?.TotalTokenCount} tokens, ${step.Response.Cost:0.000000}" +
        (calls.Length > 0 ? $", called {calls} → {results}" : ", answered"));
}

Console.WriteLine($"Loop total: {result.Iterations} model calls, {result.Usage?.InputTokenCount} input + {result.Usage?.OutputTokenCount} output tokens, ${result.Cost:0.000000}");

// 2. The same question streamed: text arrives as it is produced; the final update carries the loop's totals.
Console.WriteLine();
Console.Write("Streamed: ");
await foreach (var update in llmProvider.StreamAsync(new ChatRequest("What's the weather in New York?")))
{
    if (update.IsFinal)
    {
        Console.WriteLine();
        Console.WriteLine($"   {update.AdditionalProperties?[LlmToolLoopProperties.Iterations]} model calls, {update.Usage?.TotalTokenCount} tokens, ${update.Cost:0.000000}");
    }
    else
    {
        Console.Write(update.Text);
    }
}

internal sealed record WeatherReport(string Location, string Temperature, string Condition);

internal static class Readable
{
    public static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
