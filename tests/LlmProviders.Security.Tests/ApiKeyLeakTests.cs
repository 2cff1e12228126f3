using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using LlmProviders.Anthropic;
using LlmProviders.Anthropic.Tests;
using LlmProviders.AzureOpenAI;
using LlmProviders.AzureOpenAI.Tests;
using LlmProviders.Google;
using LlmProviders.Google.Tests;
using LlmProviders.Http;
using LlmProviders.Mistral;
using LlmProviders.Mistral.Tests;
using LlmProviders.Ollama;
using LlmProviders.Ollama.Tests;
using LlmProviders.OpenAI;
using LlmProviders.OpenAI.Tests;
using LlmProviders.Routing;
using LlmProviders.Telemetry;
using LlmProviders.Testing;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmProviders.Security.Tests;

/// <summary>
/// SPEC R6: with a distinctive fake key per provider, every provider runs through the router on a scripted HTTP server
/// (successes, 401/429/500, a malformed body, a timeout, a cut stream, an embeddings 401 where the provider embeds) — and the
/// key, or any 8-character piece of it, never appears in a log line (Trace level, with state and scopes), an exception's
/// ToString() (inner exceptions included), the ToString() of results, traces, options and providers, a metric's tags or a
/// span's name, tags and events, with message content recording off and on. The server's error bodies echo the key (whole
/// and partly masked), as real providers do.
/// </summary>
public sealed class ApiKeyLeakTests
{
    public enum Scenario
    {
        ChatSuccess,
        StreamSuccess,
        Unauthorized,
        RateLimited,
        ServerError,
        MalformedBody,
        Timeout,
        StreamCut,
        EmbeddingsUnauthorized,
    }

    public static IEnumerable<ProviderCase> Providers =>
    [
        new("openai", "openai", (b, key, url) => b.AddOpenAI("openai", o => { o.ApiKey = key; o.BaseUrl = url; }), Options<OpenAIProviderOptions>),
        new("azure-openai", "azure", (b, key, url) => b.AddAzureOpenAI("azure-openai", o => { o.ApiKey = key; o.BaseUrl = url; }), Options<AzureOpenAIProviderOptions>),
        new("mistral", "mistral", (b, key, url) => b.AddMistral("mistral", o => { o.ApiKey = key; o.BaseUrl = url; }), Options<MistralProviderOptions>),
        new("anthropic", "anthropic", (b, key, url) => b.AddAnthropic("anthropic", o => { o.ApiKey = key; o.BaseUrl = url; }), Options<AnthropicProviderOptions>),
        new("gemini", "gemini", (b, key, url) => b.AddGemini("gemini", o => { o.ApiKey = key; o.BaseUrl = url; }), Options<GeminiProviderOptions>),
        new("ollama", "ollama", (b, key, url) => b.AddOllama("ollama", o => { o.ApiKey = key; o.BaseUrl = url; }), Options<OllamaProviderOptions>),
        new("together", "openai", (b, key, url) => b.AddTogetherAI("together", o => { o.ApiKey = key; o.BaseUrl = url; }), Options<OpenAICompatibleProviderOptions>),
        new("openrouter", "openai", (b, key, url) => b.AddOpenRouter("openrouter", o => { o.ApiKey = key; o.BaseUrl = url; }), Options<OpenRouterProviderOptions>),
        new("vllm", "openai", (b, key, url) => b.AddVllm("vllm", o => { o.ApiKey = key; o.BaseUrl = url; }), Options<OpenAICompatibleProviderOptions>),
        new("localai", "openai", (b, key, url) => b.AddLocalAI("localai", o => { o.ApiKey = key; o.BaseUrl = url; }), Options<OpenAICompatibleProviderOptions>),
        new("custom", "openai", (b, key, url) => b.AddOpenAICompatible("custom", url, o => o.ApiKey = key), Options<OpenAICompatibleProviderOptions>),
    ];

    [Test]
    [Combinatorial]
    public async Task The_api_key_never_appears_in_logs_exceptions_results_metrics_or_spans(
        [ValueSource(nameof(Providers))] ProviderCase provider, [Values] Scenario scenario, [Values] bool sensitiveData)
    {
        string key = KeyFor(provider.Name);
        var time = new ManualTimeProvider();
        var handler = new ScriptedHttpHandler(time);
        Script(handler, provider.Family, scenario, key);
        using var capture = new EverythingCapture();
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(time);
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        collection.AddLlmProviders(b =>
        {
            provider.Add(b, key, new Uri("https://llm.leakcheck.test/v1/"));
            b.ConfigureHttpClient(provider.Name, http => http.ConfigurePrimaryHttpMessageHandler(() => handler));
            b.ConfigureResilience(o => o.Retry.MaxRetries = 0);
            b.ConfigureTelemetry(o => o.EnableSensitiveData = sensitiveData);
        });
        await using (var services = collection.BuildServiceProvider())
        {
            var router = services.GetRequiredService<ILlmRouter>();
            var request = new ChatRequest("What is the capital of France?") { Model = "test-model" };
            try
            {
                if (scenario == Scenario.EmbeddingsUnauthorized && (services.GetRequiredKeyedService<ILlmProvider>(provider.Name).Capabilities & LlmCapabilities.Embeddings) != 0)
                {
                    var embedded = await router.EmbedAsync(new EmbeddingRequest("What is the capital of France?") { Model = "test-embedding" });
                    capture.Add(embedded.Trace?.ToString());
                }
                else if (scenario is Scenario.StreamSuccess or Scenario.StreamCut)
                {
                    await foreach (var update in router.StreamAsync(request))
                    {
                        capture.Add(update.ToString());
                        capture.Add(update.Trace?.ToString());
                        capture.Add(Describe(update.AdditionalProperties));
                    }
                }
                else
                {
                    var result = await router.ChatAsync(request);
                    capture.Add(result.ToString());
                    capture.Add(result.Trace?.ToString());
                    capture.Add(result.RawRepresentation?.ToString());
                    capture.Add(result.Message.ToString());
                    capture.Add(Describe(result.AdditionalProperties));
                }
            }
            catch (Exception ex)
            {
                AddException(capture, ex);
            }

            capture.Add(services.GetRequiredKeyedService<ILlmProvider>(provider.Name).ToString());
            capture.Add(provider.Options(services, provider.Name).ToString());
        }

        string everything = capture.AllText();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.Requests.Any(r => r.Headers.Values.Any(v => v.Contains(key, StringComparison.Ordinal))), Is.True,
                "the fake key was not sent, so the check would prove nothing");
            Assert.That(capture.Spans, Is.GreaterThan(0), "no span was captured");
            Assert.That(capture.Measurements, Is.GreaterThan(0), "no measurement was captured");
            Assert.That(FindLeak(everything, key), Is.Null);
            if (scenario is Scenario.Unauthorized or Scenario.EmbeddingsUnauthorized)
            {
                // The echoed key reached the error text and was redacted there: the check covers the redaction path.
                Assert.That(everything, Does.Contain(SecretRedactor.Mask));
            }
        }
    }

    [Test]
    public void The_leak_check_finds_a_key_fragment()
    {
        string key = KeyFor("self-test");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(FindLeak("header: " + key[5..13] + " end", key), Is.Not.Null);
            Assert.That(FindLeak("nothing here " + SecretRedactor.Mask, key), Is.Null);
        }
    }

    /// <summary>A distinctive key that looks like no provider's key format, so only the configured-key redaction can catch it.</summary>
    private static string KeyFor(string provider) =>
        "Lk" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("leak-check/" + provider)))[..38].ToLowerInvariant();

    /// <summary>The first place an 8-character piece of <paramref name="key"/> appears, with its context; null when none.</summary>
    private static string? FindLeak(string text, string key)
    {
        for (int i = 0; i + 8 <= key.Length; i++)
        {
            int at = text.IndexOf(key.Substring(i, 8), StringComparison.Ordinal);
            if (at >= 0)
            {
                int start = Math.Max(0, at - 200);
                return $"'{key.Substring(i, 8)}' found in: …{text[start..Math.Min(text.Length, at + 200)]}…";
            }
        }

        return null;
    }

    private static void AddException(EverythingCapture capture, Exception ex)
    {
        capture.Add(ex.ToString());
        if (ex is LlmProviderException llm)
        {
            capture.Add(llm.Message);
            capture.Add(llm.RequestId);
            capture.Add(llm.ProviderName);
            foreach (System.Collections.DictionaryEntry entry in llm.Data)
            {
                capture.Add(entry.Key + "=" + entry.Value);
            }
        }

        if (ex is AllProvidersFailedException all)
        {
            capture.Add(all.Trace?.ToString());
            foreach (var error in all.Errors)
            {
                AddException(capture, error);
            }
        }

        if (ex is StreamInterruptedException interrupted)
        {
            capture.Add(interrupted.PartialText);
        }

        if (ex.InnerException is { } inner)
        {
            AddException(capture, inner);
        }
    }

    private static string? Describe(IEnumerable<KeyValuePair<string, object?>>? properties) =>
        properties is null ? null : string.Join(", ", properties.Select(p => p.Key + "=" + p.Value));

    private static HttpProviderOptions Options<T>(IServiceProvider services, string name)
        where T : HttpProviderOptions =>
        services.GetRequiredService<IOptionsMonitor<T>>().Get(name);

    private static void Script(ScriptedHttpHandler handler, string family, Scenario scenario, string key)
    {
        string echo = $"Incorrect API key provided: {key}. You can find your API key at https://example.test/keys (seen as {key[..10]}****{key[^4..]}).";
        string errorBody = $$$"""{"type":"error","error":{"message":{{{Json(echo)}}},"type":"invalid_request_error","code":"invalid_api_key","status":"UNAUTHENTICATED"}}""";
        switch (scenario)
        {
            case Scenario.ChatSuccess:
                handler.Response = ChatBody(family);
                break;
            case Scenario.StreamSuccess:
                handler.Response = StreamBody(family);
                break;
            case Scenario.StreamCut:
                var stream = StreamBody(family);
                handler.Response = stream;
                handler.BodyOptions = new ScriptedBodyOptions { FailAfterBytes = stream.Body.Length / 2 };
                break;
            case Scenario.Unauthorized or Scenario.EmbeddingsUnauthorized:
                handler.Response = CannedResponse.Json(errorBody, HttpStatusCode.Unauthorized);
                break;
            case Scenario.RateLimited:
                handler.Response = CannedResponse.Json(errorBody, HttpStatusCode.TooManyRequests).WithHeader("Retry-After", "1");
                break;
            case Scenario.ServerError:
                handler.Response = CannedResponse.Text(HttpStatusCode.InternalServerError, "text/html; charset=utf-8",
                    $"<html><body><h1>500</h1><p>upstream rejected key {key} (api_key={key})</p></body></html>");
                break;
            case Scenario.MalformedBody:
                handler.Response = CannedResponse.Text(HttpStatusCode.OK, CannedResponse.JsonContentType, $$"""{"id":"x","echo":"{{key}}","choices":[{"message":""");
                break;
            case Scenario.Timeout:
                handler.ThrowOnSend = new TaskCanceledException(
                    "The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException("The operation was canceled."));
                break;
        }
    }

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value, Wire.StringContext.Default.String);

    private static CannedResponse ChatBody(string family) => family switch
    {
        "azure" => CannedResponse.Json(AzureWire.Completion("Paris.")),
        "mistral" => CannedResponse.Json(MistralWire.Completion("Paris.")),
        "anthropic" => CannedResponse.Json(AnthropicWire.TextMessage("Paris.")),
        "gemini" => CannedResponse.Json(GeminiWire.Completion("Paris.")),
        "ollama" => CannedResponse.Json(OllamaWire.Chat("Paris.")),
        _ => CannedResponse.Json(OpenAIWire.Completion("Paris.")),
    };

    private static CannedResponse StreamBody(string family) => family switch
    {
        "azure" => CannedResponse.EventStream(AzureWire.Sse([AzureWire.RoleChunk(), AzureWire.TextChunk("Par"), AzureWire.TextChunk("is."), AzureWire.FinishChunk("stop"), AzureWire.UsageChunk()])),
        "mistral" => CannedResponse.EventStream(MistralWire.Sse([MistralWire.RoleChunk(), MistralWire.TextChunk("Par"), MistralWire.TextChunk("is."), MistralWire.FinishChunk()])),
        "anthropic" => CannedResponse.EventStream(AnthropicWire.TextStream(["Par", "is."])),
        "gemini" => CannedResponse.EventStream(GeminiWire.Sse([GeminiWire.TextChunk("Par"), GeminiWire.TextChunk("is."), GeminiWire.FinishChunk()])),
        "ollama" => CannedResponse.Ndjson(OllamaWire.Line("Par"), OllamaWire.Line("is."), OllamaWire.DoneLine()),
        _ => CannedResponse.EventStream(OpenAIWire.Sse([OpenAIWire.RoleChunk(), OpenAIWire.TextChunk("Par"), OpenAIWire.TextChunk("is."), OpenAIWire.FinishChunk("stop"), OpenAIWire.UsageChunk()])),
    };

    /// <summary>One provider: its registration name, wire family, registration and options type.</summary>
    public sealed record ProviderCase(string Name, string Family, Action<LlmProvidersBuilder, string, Uri> Add, Func<IServiceProvider, string, HttpProviderOptions> Options)
    {
        public override string ToString() => Name;
    }
}
