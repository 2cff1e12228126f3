using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Testing.Costs;
using LlmProviders.Testing.Http;
using LlmProviders.Tools;
using Microsoft.Extensions.AI;
using NUnit.Framework;

namespace LlmProviders.Testing.Conformance;

/// <summary>The error responses a provider's conformance subclass supplies (see <see cref="ProviderConformanceTests.ErrorResponse"/>).</summary>
public enum ErrorScenario
{
    /// <summary>400: an invalid request (a bad parameter). Expected: <see cref="InvalidChatRequestException"/>, not transient.</summary>
    BadRequest,

    /// <summary>The prompt does not fit the context window. Expected: <see cref="ContextLengthExceededException"/>, not transient.</summary>
    ContextLengthExceeded,

    /// <summary>
    /// 401 (Gemini: 400 API_KEY_INVALID): the key was rejected. The body must echo the masked key the way the provider does
    /// (use <see cref="ProviderConformanceTests.MaskedApiKey"/>). Expected: <see cref="ProviderAuthenticationException"/>, not transient, no key in the exception.
    /// </summary>
    Authentication,

    /// <summary>403: the key may not do this. Expected: <see cref="ProviderPermissionException"/>, not transient.</summary>
    PermissionDenied,

    /// <summary>404 for the model (<see cref="ProviderConformanceTests.RequestedModel"/>). Expected: <see cref="ModelNotFoundException"/>, not transient.</summary>
    ModelNotFound,

    /// <summary>429, too many requests or tokens. Expected: <see cref="RateLimitedException"/>, transient. The base adds retry headers itself.</summary>
    RateLimited,

    /// <summary>Quota or credit exhausted (OpenAI 429 insufficient_quota, OpenRouter 402). Expected: <see cref="QuotaExhaustedException"/>, NOT transient.</summary>
    QuotaExhausted,

    /// <summary>500 with the provider's error body. Expected: <see cref="ProviderUnavailableException"/>, transient.</summary>
    ServerError,

    /// <summary>502 with an HTML page from a gateway (built by the base class). Expected: <see cref="ProviderUnavailableException"/>, transient.</summary>
    BadGatewayHtml,

    /// <summary>503 "service unavailable" (not an overload). Expected: <see cref="ProviderUnavailableException"/>, transient.</summary>
    ServiceUnavailable,

    /// <summary>504 gateway timeout. Expected: <see cref="ProviderTimeoutException"/>, transient.</summary>
    GatewayTimeout,

    /// <summary>The provider's overload signal (Anthropic 529, OpenAI 503 "model overloaded"). Expected: <see cref="ProviderOverloadedException"/>, transient.</summary>
    Overloaded,
}

/// <summary>
/// The behaviour every <see cref="ILlmProvider"/> must show, as an abstract NUnit fixture. A provider's test project derives
/// one class from it, creates the provider over the given <see cref="HttpMessageHandler"/> and <see cref="TimeProvider"/>,
/// and supplies canned wire responses (in its own wire format) that carry the expected values defined here
/// (<see cref="ExpectedText"/>, <see cref="ExpectedTextDeltas"/>, the usage numbers, the two tool calls …). Every test here
/// then runs against that provider: text, usage, finish reasons, streams in random byte splits, tool calls, errors per
/// status with retry hints, cancellation, malformed bodies, key redaction, health and model listing, and a fuzz test.
/// </summary>
/// <remarks>
/// <para>Scenarios a provider cannot produce return <see langword="null"/> from the optional members; their tests end inconclusive.</para>
/// <para>Nothing sleeps: time is a <see cref="ManualTimeProvider"/>, bodies are in memory, and real-time bounds are only a
/// safety net against hangs (<see cref="HangTimeout"/>).</para>
/// </remarks>
[ConformanceFixture]
public abstract class ProviderConformanceTests
{
    /// <summary>The complete answer text of the text scenarios (multi-byte UTF-8: 2-, 3- and 4-byte sequences).</summary>
    public const string ExpectedText = "Hello, wörld! 👋 Ça va? 你好.";

    /// <summary>The model the tests request.</summary>
    public const string RequestedModel = "conformance-model";

    /// <summary>The model the canned responses report as having answered (a resolved snapshot).</summary>
    public const string ExpectedModel = "conformance-model-2026-01-01";

    /// <summary>The response id the canned responses carry.</summary>
    public const string ExpectedResponseId = "resp-conformance-0001";

    /// <summary>Input tokens reported by the text scenarios (cached reads included).</summary>
    public const long ExpectedInputTokens = 42;

    /// <summary>Output tokens reported by the text scenarios (reasoning included).</summary>
    public const long ExpectedOutputTokens = 17;

    /// <summary>Total tokens reported by the text scenarios.</summary>
    public const long ExpectedTotalTokens = 59;

    /// <summary>Cached input tokens reported by the text scenarios (when <see cref="ReportsCachedInputTokens"/>).</summary>
    public const long ExpectedCachedInputTokens = 8;

    /// <summary>Reasoning tokens reported by the text scenarios (when <see cref="ReportsReasoningTokens"/>).</summary>
    public const long ExpectedReasoningTokens = 5;

    /// <summary>The name of the first tool called.</summary>
    public const string WeatherToolName = "get_weather";

    /// <summary>The id of the first tool call.</summary>
    public const string WeatherCallId = "call_weather_1";

    /// <summary>The arguments of the first tool call, as JSON.</summary>
    public const string WeatherArguments = "{\"city\":\"Paris\"}";

    /// <summary>The name of the second (parallel) tool called.</summary>
    public const string TimeToolName = "get_time";

    /// <summary>The id of the second tool call.</summary>
    public const string TimeCallId = "call_time_2";

    /// <summary>The arguments of the second tool call, as JSON.</summary>
    public const string TimeArguments = "{\"timezone\":\"Europe/Paris\"}";

    /// <summary>The refusal text of the refusal scenarios.</summary>
    public const string ExpectedRefusal = "I can't help with that. 🙅";

    /// <summary>The reasoning text of the reasoning scenarios.</summary>
    public const string ExpectedReasoning = "Let me think… 🤔 The user greets me.";

    /// <summary>A finish reason no provider defines; the library must keep it raw.</summary>
    public const string UnknownFinishReason = "conformance_unknown_reason";

    /// <summary>The API key the provider must be created with. It must never appear, even partly, in an exception.</summary>
    public const string ApiKey = "sk-proj-Qx7Zr9Vw3Ky8Jt2Nm5Lp4Hb6";

    /// <summary>The upper bound, in real time, after which a call is considered hung (a safety net, never a wait).</summary>
    protected static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Gets the text deltas of the text stream scenarios, each its own event, in order.</summary>
    public static IReadOnlyList<string> ExpectedTextDeltas { get; } = ["Hello", ", wörld", "! 👋", " Ça va?", " 你好."];

    /// <summary>Gets the argument fragments of the first tool call in the tool-call stream, split mid-token as providers do.</summary>
    public static IReadOnlyList<string> WeatherArgumentFragments { get; } = ["{\"ci", "ty\":\"Pa", "ris\"}"];

    /// <summary>Gets the argument fragments of the second tool call in the tool-call stream.</summary>
    public static IReadOnlyList<string> TimeArgumentFragments { get; } = ["{\"time", "zone\":\"Europe/", "Paris\"}"];

    /// <summary>Gets the ids the model-list scenario lists, in order.</summary>
    public static IReadOnlyList<string> ExpectedModelIds { get; } = ["conformance-model", "conformance-model-mini"];

    /// <summary>Gets the key as a provider echoes it in a 401 body: first 8 characters, stars, last 4.</summary>
    public static string MaskedApiKey => string.Concat(ApiKey.AsSpan(0, 8), new string('*', ApiKey.Length - 12), ApiKey.AsSpan(ApiKey.Length - 4));

    /// <summary>Gets the clock of the current test.</summary>
    protected ManualTimeProvider Time { get; private set; } = null!;

    /// <summary>Gets the scripted server of the current test.</summary>
    protected ScriptedHttpHandler Handler { get; private set; } = null!;

    /// <summary>Gets the provider under test (created by <see cref="CreateProvider"/> for each test).</summary>
    protected ILlmProvider Provider { get; private set; } = null!;

    /// <summary>
    /// Gets the calculator <see cref="CreateProvider"/> must give the provider (its <c>costCalculator</c> parameter). By default it
    /// prices <see cref="ExpectedModel"/> at <see cref="ConformancePrice"/> for every provider; the cost tests swap it for others.
    /// </summary>
    protected CostCalculator Costs { get; private set; } = null!;

    /// <summary>
    /// Gets the price of <see cref="ExpectedModel"/> in the default <see cref="Costs"/>, per million tokens: $2.00 input, $0.50 cached
    /// input, $2.50 cache write, $8.00 output (reasoning is output).
    /// </summary>
    protected static ModelPrice ConformancePrice => new() { Input = 2.00m, CachedInput = 0.50m, CacheWrite = 2.50m, Output = 8.00m };

    // ----------------------------------------------------------------------------------------------------------------
    // What a provider's subclass supplies
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Gets a text completion: <see cref="ExpectedText"/>, finish stop, the expected usage, <see cref="ExpectedModel"/> and <see cref="ExpectedResponseId"/>.</summary>
    protected abstract CannedResponse TextCompletion { get; }

    /// <summary>Gets a text stream: one event per <see cref="ExpectedTextDeltas"/> item, finish stop, the expected usage, model and id, and the provider's terminator.</summary>
    protected abstract CannedResponse TextStream { get; }

    /// <summary>Gets a completion with two tool calls in order: <see cref="WeatherToolName"/>(<see cref="WeatherArguments"/>) and <see cref="TimeToolName"/>(<see cref="TimeArguments"/>), finish tool calls.</summary>
    protected abstract CannedResponse ToolCallCompletion { get; }

    /// <summary>Gets a stream of the same two tool calls with their arguments in fragments (<see cref="WeatherArgumentFragments"/>, <see cref="TimeArgumentFragments"/>), finish tool calls.</summary>
    protected abstract CannedResponse ToolCallStream { get; }

    /// <summary>Gets a completion cut by the output limit (finish length), with any text.</summary>
    protected abstract CannedResponse LengthCompletion { get; }

    /// <summary>Gets a completion whose finish reason is the raw value <see cref="UnknownFinishReason"/>.</summary>
    protected abstract CannedResponse UnknownFinishReasonCompletion { get; }

    /// <summary>Gets a stream that delivers the first two <see cref="ExpectedTextDeltas"/> and then ends: no finish reason, no terminator.</summary>
    protected abstract CannedResponse StreamWithoutTerminator { get; }

    /// <summary>Gets a stream that delivers the first of <see cref="ExpectedTextDeltas"/> and then an error event (a server error).</summary>
    protected abstract CannedResponse StreamWithErrorEvent { get; }

    /// <summary>Gets a model list naming <see cref="ExpectedModelIds"/> in order.</summary>
    protected abstract CannedResponse ModelList { get; }

    /// <summary>Gets a completion with the refusal <see cref="ExpectedRefusal"/>, or <see langword="null"/> when the provider has no refusal field.</summary>
    protected virtual CannedResponse? RefusalCompletion => null;

    /// <summary>Gets a stream of the refusal <see cref="ExpectedRefusal"/>, or <see langword="null"/>.</summary>
    protected virtual CannedResponse? RefusalStream => null;

    /// <summary>Gets a completion with reasoning <see cref="ExpectedReasoning"/> and text <see cref="ExpectedText"/>, or <see langword="null"/>.</summary>
    protected virtual CannedResponse? ReasoningCompletion => null;

    /// <summary>Gets a stream with reasoning deltas making <see cref="ExpectedReasoning"/>, then the text deltas, or <see langword="null"/>.</summary>
    protected virtual CannedResponse? ReasoningStream => null;

    /// <summary>Gets a completion stopped by the content filter, or <see langword="null"/>.</summary>
    protected virtual CannedResponse? ContentFilterCompletion => null;

    /// <summary>
    /// Gets the stream's framing broken. The default derives it from <see cref="TextStream"/>: SSE events lose their
    /// <c>data:</c> field; NDJSON lines gain one (so no line is JSON any more).
    /// </summary>
    protected virtual CannedResponse BadlyFramedStream
    {
        get
        {
            var stream = TextStream;
            var lines = stream.BodyText.Split('\n');
            bool sse = stream.ContentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);
            var broken = sse
                ? lines.Select(l => l.StartsWith("data:", StringComparison.Ordinal) ? l["data:".Length..].TrimStart() : l)
                : lines.Select(l => l.Length == 0 ? l : "data: " + l);
            return stream.WithBody(string.Join('\n', broken));
        }
    }

    /// <summary>Gets a value indicating whether the provider reports cached input tokens.</summary>
    protected virtual bool ReportsCachedInputTokens => true;

    /// <summary>Gets a value indicating whether the provider reports reasoning tokens.</summary>
    protected virtual bool ReportsReasoningTokens => true;

    /// <summary>Gets the input tokens the text scenarios report as written to the prompt cache (Anthropic's cache writes), part of <see cref="ExpectedInputTokens"/>.</summary>
    protected virtual long ExpectedCacheWriteTokens => 0;

    /// <summary>Gets the cost the canned text scenarios report themselves (OpenRouter's <c>usage.cost</c>), which wins over the catalog; <see langword="null"/> when they report none.</summary>
    protected virtual decimal? ReportedCost => null;

    /// <summary>Gets a value indicating whether the provider's tool calls carry ids (Ollama's do not: the library makes some).</summary>
    protected virtual bool ReportsToolCallIds => true;

    /// <summary>Gets a value indicating whether the provider's responses carry an id (Ollama's do not: <see cref="ChatResult.ResponseId"/> is then <see langword="null"/>).</summary>
    protected virtual bool ReportsResponseId => true;

    /// <summary>Creates the provider under test, with <see cref="ApiKey"/>, over <paramref name="handler"/> and <paramref name="timeProvider"/>.</summary>
    /// <param name="handler">The scripted server.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The provider.</returns>
    protected abstract ILlmProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider);

    /// <summary>Gets the error response for a scenario (status, the provider's error body, headers), or <see langword="null"/> when the provider has no such error.</summary>
    /// <param name="scenario">The scenario (<see cref="ErrorScenario.BadGatewayHtml"/> is built by the base).</param>
    /// <returns>The response.</returns>
    protected abstract CannedResponse? ErrorResponse(ErrorScenario scenario);

    /// <summary>Asserts the wire essentials of a chat request: endpoint, authentication carrying <see cref="ApiKey"/>, <see cref="RequestedModel"/>, the streaming flag.</summary>
    /// <param name="request">The recorded request.</param>
    /// <param name="streaming">Whether it was a streaming request.</param>
    protected abstract void AssertChatRequest(RecordedRequest request, bool streaming);

    /// <summary>Creates the request the tests send.</summary>
    /// <returns>A new request for <see cref="RequestedModel"/>.</returns>
    protected virtual ChatRequest CreateRequest() => new(new List<ChatMessage>
    {
        new(ChatRole.System, "You are a conformance test."),
        new(ChatRole.User, "Say hello in a few languages."),
    })
    {
        Model = RequestedModel,
    };

    /// <summary>Creates the request the tool-call tests send (two tools).</summary>
    /// <returns>A new request.</returns>
    protected virtual ChatRequest CreateToolRequest()
    {
        var request = CreateRequest();
        request.Messages.Add(new ChatMessage(ChatRole.User, "What is the weather and the time in Paris?"));
        request.Tools =
        [
            AIFunctionFactory.CreateDeclaration(WeatherToolName, "Gets the weather of a city.", ObjectSchema("city")),
            AIFunctionFactory.CreateDeclaration(TimeToolName, "Gets the time in a time zone.", ObjectSchema("timezone")),
        ];
        return request;
    }

    /// <summary>Creates a fresh clock, server and provider for each test.</summary>
    [SetUp]
    public void SetUpProvider()
    {
        Time = new ManualTimeProvider();
        Handler = new ScriptedHttpHandler(Time);
        Costs = new CostCalculator(new TestModelCatalog().Add(TestModelCatalog.AnyProvider, ExpectedModel, ConformancePrice));
        Provider = CreateProvider(Handler, Time);
    }

    /// <summary>Releases the scripted server.</summary>
    [TearDown]
    public void TearDownProvider()
    {
        Handler.Release();
        Handler.Dispose();
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Identity
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>The provider has a name, a kind and at least chat and streaming.</summary>
    [Test]
    public void Provider_reports_name_kind_and_chat_capabilities()
    {
        Assert.That(Provider.Name, Is.Not.Empty);
        Assert.That(Provider.Kind, Is.Not.Empty);
        Assert.That(Provider.Capabilities.HasFlag(LlmCapabilities.Chat), Is.True);
        Assert.That(Provider.Capabilities.HasFlag(LlmCapabilities.Streaming), Is.True);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Chat
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>A completion gives its text, finish reason, model, id and provider name; the request has the provider's shape.</summary>
    [Test]
    public async Task Chat_returns_text_finish_reason_model_id_and_provider()
    {
        Handler.Response = TextCompletion;
        var result = await Bounded(Provider.ChatAsync(CreateRequest()));

        Assert.Multiple(() =>
        {
            Assert.That(result.Text, Is.EqualTo(ExpectedText));
            Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
            Assert.That(result.Model, Is.EqualTo(ExpectedModel));
            Assert.That(result.ResponseId, ReportsResponseId ? Is.EqualTo(ExpectedResponseId) : Is.Null);
            Assert.That(result.ProviderName, Is.EqualTo(Provider.Name));
            Assert.That(result.ToolCalls, Is.Empty);
            Assert.That(result.Message.Role, Is.EqualTo(ChatRole.Assistant));
        });
        Assert.That(Handler.Requests, Has.Count.EqualTo(1));
        AssertChatRequest(Handler.LastRequest, streaming: false);
    }

    /// <summary>Usage follows the UsageDetails convention; cached and reasoning counts where the provider reports them.</summary>
    [Test]
    public async Task Chat_reports_usage_with_cached_and_reasoning_tokens()
    {
        Handler.Response = TextCompletion;
        var result = await Bounded(Provider.ChatAsync(CreateRequest()));
        AssertExpectedUsage(result.Usage);
    }

    /// <summary>Latency is measured on the provider's clock.</summary>
    [Test]
    public async Task Chat_measures_latency_with_the_time_provider()
    {
        Handler.Response = TextCompletion;
        Handler.ServerLatency = TimeSpan.FromMilliseconds(250);
        var result = await Bounded(Provider.ChatAsync(CreateRequest()));
        Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
    }

    /// <summary>A length stop maps to <see cref="ChatFinishReason.Length"/>.</summary>
    [Test]
    public async Task Chat_maps_length_finish_reason()
    {
        Handler.Response = LengthCompletion;
        var result = await Bounded(Provider.ChatAsync(CreateRequest()));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Length));
    }

    /// <summary>A finish reason the library does not know keeps its raw value and never throws.</summary>
    [Test]
    public async Task Chat_keeps_an_unknown_finish_reason_raw()
    {
        Handler.Response = UnknownFinishReasonCompletion;
        var result = await Bounded(Provider.ChatAsync(CreateRequest()));
        Assert.That(result.FinishReason?.Value, Is.EqualTo(UnknownFinishReason));
        Assert.That(FinishReasons.IsKnown(result.FinishReason!.Value), Is.False);
    }

    /// <summary>Parallel tool calls come back in order, with ids, names and parsed arguments.</summary>
    [Test]
    public async Task Chat_returns_parallel_tool_calls_in_order()
    {
        Handler.Response = ToolCallCompletion;
        var result = await Bounded(Provider.ChatAsync(CreateToolRequest()));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        AssertExpectedToolCalls(result.ToolCalls);
    }

    /// <summary>
    /// The tool loop (<see cref="LlmToolInvocationExtensions.WithToolInvocation"/>) over the provider's canned tool calls then its
    /// text answer: each tool runs once with its arguments, the second request carries the assistant's calls and the tools'
    /// results in the provider's wire format (after the calls), and usage and cost are summed over both calls.
    /// </summary>
    [Test]
    public async Task Tool_loop_runs_the_tools_and_sends_their_results_back_in_the_wire_format()
    {
        var (tools, ran) = LoopTools();
        Handler.Enqueue(ToolCallCompletion, TextCompletion);
        var request = CreateToolRequest();
        request.Tools = null;

        var result = (LlmToolLoopResult)await Bounded(Provider.WithToolInvocation(tools).ChatAsync(request));

        Assert.That(result.Text, Is.EqualTo(ExpectedText));
        Assert.That(result.Iterations, Is.EqualTo(2));
        Assert.That(ran, Is.EquivalentTo(new[] { WeatherToolName + ":Paris", TimeToolName + ":Europe/Paris" }));
        Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(result.Steps[0].Response.Usage?.InputTokenCount + ExpectedInputTokens));
        Assert.That(result.Cost, Is.EqualTo(result.Steps[0].Response.Cost + result.Steps[1].Response.Cost));
        AssertToolResultsSent(streaming: false);
    }

    /// <summary>The streamed tool loop: the tool-call stream's calls run, the text stream flows on, one final update with summed usage.</summary>
    [Test]
    public async Task Stream_tool_loop_runs_the_tools_and_streams_the_answer()
    {
        var (tools, ran) = LoopTools();
        Handler.Enqueue(ToolCallStream, TextStream);
        var request = CreateToolRequest();
        request.Tools = null;

        var updates = await Drain(Provider.WithToolInvocation(tools).StreamAsync(request));

        Assert.That(ConcatText(updates), Is.EqualTo(ExpectedText));
        Assert.That(updates.Count(u => u.IsFinal), Is.EqualTo(1));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(updates[^1].AdditionalProperties?[LlmToolLoopProperties.Iterations], Is.EqualTo(2));
        Assert.That(updates[^1].Usage!.InputTokenCount, Is.GreaterThanOrEqualTo(ExpectedInputTokens));
        Assert.That(ran, Is.EquivalentTo(new[] { WeatherToolName + ":Paris", TimeToolName + ":Europe/Paris" }));
        AssertToolResultsSent(streaming: true);
    }

    /// <summary>A refusal is reported as such, not as text.</summary>
    [Test]
    [RequiresFeature(ConformanceFeature.Refusal)]
    public async Task Chat_reports_a_refusal()
    {
        var response = RefusalCompletion;
        Assert.That(response, Is.Not.Null, "Supply RefusalCompletion, or declare [ProviderLacks(ConformanceFeature.Refusal)] on the fixture.");
        Handler.Response = response;
        var result = await Bounded(Provider.ChatAsync(CreateRequest()));
        Assert.That(result.Refusal, Is.EqualTo(ExpectedRefusal));
        Assert.That(result.Text, Does.Not.Contain(ExpectedRefusal));
    }

    /// <summary>Reasoning comes back as <see cref="TextReasoningContent"/>, apart from the text.</summary>
    [Test]
    [RequiresFeature(ConformanceFeature.Reasoning)]
    public async Task Chat_returns_reasoning_apart_from_text()
    {
        var response = ReasoningCompletion;
        Assert.That(response, Is.Not.Null, "Supply ReasoningCompletion, or declare [ProviderLacks(ConformanceFeature.Reasoning)] on the fixture.");
        Handler.Response = response;
        var result = await Bounded(Provider.ChatAsync(CreateRequest()));
        Assert.That(result.ReasoningText, Is.EqualTo(ExpectedReasoning));
        Assert.That(result.Text, Is.EqualTo(ExpectedText));
    }

    /// <summary>A content-filter stop maps to <see cref="ChatFinishReason.ContentFilter"/>.</summary>
    [Test]
    [RequiresFeature(ConformanceFeature.ContentFilter)]
    public async Task Chat_maps_content_filter_finish_reason()
    {
        var response = ContentFilterCompletion;
        Assert.That(response, Is.Not.Null, "Supply ContentFilterCompletion, or declare [ProviderLacks(ConformanceFeature.ContentFilter)] on the fixture.");
        Handler.Response = response;
        var result = await Bounded(Provider.ChatAsync(CreateRequest()));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ContentFilter));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Streaming
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Each text delta is its own update, in order, and exactly one final update ends the stream.</summary>
    [Test]
    public async Task Stream_yields_each_text_delta_then_exactly_one_final_update()
    {
        Handler.Response = TextStream;
        var updates = await Drain(Provider.StreamAsync(CreateRequest()));

        var texts = updates.Where(u => !u.IsFinal && u.Text is not null).Select(u => u.Text).ToList();
        Assert.That(texts, Is.EqualTo(ExpectedTextDeltas));
        Assert.That(updates.Count(u => u.IsFinal), Is.EqualTo(1));
        Assert.That(updates[^1].IsFinal, Is.True);
        AssertChatRequest(Handler.LastRequest, streaming: true);
    }

    /// <summary>The final update carries finish reason, usage, model, id, provider, latency and time to first token.</summary>
    [Test]
    public async Task Stream_final_update_carries_finish_reason_usage_model_and_timings()
    {
        Handler.Response = TextStream;
        Handler.ServerLatency = TimeSpan.FromMilliseconds(100);
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = FirstEventEnd(TextStream) };

        var updates = new List<ChatStreamUpdate>();
        await using (var e = Provider.StreamAsync(CreateRequest()).GetAsyncEnumerator())
        {
            Assert.That(await Bounded(e.MoveNextAsync().AsTask()), Is.True);
            updates.Add(e.Current);
            Time.Advance(TimeSpan.FromMilliseconds(400));
            Handler.Release();
            while (await Bounded(e.MoveNextAsync().AsTask()))
            {
                updates.Add(e.Current);
            }
        }

        var final = updates[^1];
        Assert.Multiple(() =>
        {
            Assert.That(final.IsFinal, Is.True);
            Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
            Assert.That(final.Model, Is.EqualTo(ExpectedModel));
            Assert.That(final.ResponseId, ReportsResponseId ? Is.EqualTo(ExpectedResponseId) : Is.Null);
            Assert.That(final.ProviderName, Is.EqualTo(Provider.Name));
            Assert.That(final.TimeToFirstToken, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(final.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
        });
        AssertExpectedUsage(final.Usage);
        Assert.That(updates.Where(u => !u.IsFinal).All(u => u.ProviderName == Provider.Name), Is.True);
    }

    /// <summary>The first update reaches the caller while the rest of the body has not been sent.</summary>
    [Test]
    public async Task Stream_delivers_first_update_before_body_ends()
    {
        Handler.Response = TextStream;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = FirstEventEnd(TextStream) };

        await using var e = Provider.StreamAsync(CreateRequest()).GetAsyncEnumerator();
        Assert.That(await Bounded(e.MoveNextAsync().AsTask()), Is.True, "The first update did not arrive while the body was paused.");
        Assert.That(e.Current.Text, Is.EqualTo(ExpectedTextDeltas[0]));
        Assert.That(Handler.LastBody!.BytesServed, Is.LessThan(Handler.LastBody.TotalBytes));

        Handler.Release();
        var rest = new List<ChatStreamUpdate>();
        while (await Bounded(e.MoveNextAsync().AsTask()))
        {
            rest.Add(e.Current);
        }

        Assert.That(ExpectedTextDeltas[0] + string.Concat(rest.Select(u => u.Text)), Is.EqualTo(ExpectedText));
    }

    /// <summary>Any split of the body into reads gives the same text, usage and finish reason.</summary>
    /// <param name="seed">The seed of the read sizes.</param>
    [Test]
    public async Task Stream_gives_identical_results_for_random_byte_splits([Range(1, 20)] int seed)
    {
        Handler.Response = TextStream;
        Handler.BodyOptions = new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = 1 + (seed % 13) };
        var updates = await Drain(Provider.StreamAsync(CreateRequest()));

        Assert.That(ConcatText(updates), Is.EqualTo(ExpectedText));
        Assert.That(updates.Where(u => !u.IsFinal && u.Text is not null).Select(u => u.Text), Is.EqualTo(ExpectedTextDeltas));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        AssertExpectedUsage(updates[^1].Usage);
    }

    /// <summary>One-byte reads split every multi-byte character and line end; the text still decodes exactly.</summary>
    [Test]
    public async Task Stream_decodes_text_split_at_every_byte()
    {
        Handler.Response = TextStream;
        Handler.BodyOptions = new ScriptedBodyOptions { SplitSeed = 7, MaxReadSize = 1 };
        var updates = await Drain(Provider.StreamAsync(CreateRequest()));
        Assert.That(ConcatText(updates), Is.EqualTo(ExpectedText));
    }

    /// <summary>CRLF line ends, split anywhere (also between CR and LF), frame the stream like LF.</summary>
    /// <param name="seed">The seed of the read sizes.</param>
    [Test]
    public async Task Stream_handles_CRLF_line_ends_in_random_splits([Range(1, 5)] int seed)
    {
        var stream = TextStream;
        Handler.Response = stream.WithBody(stream.BodyText.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));
        Handler.BodyOptions = new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = 3 };
        var updates = await Drain(Provider.StreamAsync(CreateRequest()));
        Assert.That(ConcatText(updates), Is.EqualTo(ExpectedText));
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    /// <summary>Fragmented tool-call arguments are assembled per call, in order, on the final update.</summary>
    [Test]
    public async Task Stream_assembles_fragmented_tool_call_arguments_in_order()
    {
        Handler.Response = ToolCallStream;
        var updates = await Drain(Provider.StreamAsync(CreateToolRequest()));
        var final = updates[^1];
        Assert.That(final.IsFinal, Is.True);
        Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
        AssertExpectedToolCalls(final.ToolCalls ?? []);
    }

    /// <summary>Tool-call streams split anywhere give the same calls.</summary>
    /// <param name="seed">The seed of the read sizes.</param>
    [Test]
    public async Task Stream_tool_calls_survive_random_byte_splits([Range(1, 10)] int seed)
    {
        Handler.Response = ToolCallStream;
        Handler.BodyOptions = new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = 1 + (seed % 7) };
        var updates = await Drain(Provider.StreamAsync(CreateToolRequest()));
        AssertExpectedToolCalls(updates[^1].ToolCalls ?? []);
    }

    /// <summary>A streamed refusal arrives as refusal deltas, not as text.</summary>
    [Test]
    [RequiresFeature(ConformanceFeature.Refusal)]
    public async Task Stream_delivers_refusal_deltas()
    {
        var response = RefusalStream;
        Assert.That(response, Is.Not.Null, "Supply RefusalStream, or declare [ProviderLacks(ConformanceFeature.Refusal)] on the fixture.");
        Handler.Response = response;
        var updates = await Drain(Provider.StreamAsync(CreateRequest()));
        Assert.That(string.Concat(updates.Select(u => u.Refusal)), Is.EqualTo(ExpectedRefusal));
        Assert.That(ConcatText(updates), Does.Not.Contain(ExpectedRefusal));
        Assert.That(updates[^1].IsFinal, Is.True);
    }

    /// <summary>Streamed reasoning arrives as reasoning deltas, before and apart from the text.</summary>
    [Test]
    [RequiresFeature(ConformanceFeature.Reasoning)]
    public async Task Stream_delivers_reasoning_deltas_apart_from_text()
    {
        var response = ReasoningStream;
        Assert.That(response, Is.Not.Null, "Supply ReasoningStream, or declare [ProviderLacks(ConformanceFeature.Reasoning)] on the fixture.");
        Handler.Response = response;
        var updates = await Drain(Provider.StreamAsync(CreateRequest()));
        Assert.That(string.Concat(updates.Select(u => u.ReasoningText)), Is.EqualTo(ExpectedReasoning));
        Assert.That(ConcatText(updates), Is.EqualTo(ExpectedText));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Cost (SPEC C2)
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// A priced model: the result and the final stream update cost the canned usage at <see cref="ConformancePrice"/>, each part at its
    /// own price (the provider's own reported cost wins; a local provider costs zero).
    /// </summary>
    [Test]
    public async Task Chat_and_stream_cost_the_usage_at_the_catalog_price()
    {
        decimal expected = ExpectedCatalogCost();
        var (result, final) = await ChatAndStream();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Cost, Is.EqualTo(ExpectedCost(expected)), "chat");
            Assert.That(result.IsCostKnown, Is.True, "chat");
            Assert.That(final.Cost, Is.EqualTo(ExpectedCost(expected)), "final stream update");
        }
    }

    /// <summary>A model the catalog does not know has an unknown cost, never $0 (unless the provider reports one or is local).</summary>
    [Test]
    public async Task A_model_the_catalog_does_not_know_has_an_unknown_cost()
    {
        UseCosts(new CostCalculator(new TestModelCatalog().Add(TestModelCatalog.AnyProvider, "some-other-model", ConformancePrice)));
        var (result, final) = await ChatAndStream();

        decimal? expected = Provider.IsLocal ? 0m : ReportedCost;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Cost, Is.EqualTo(expected), "chat");
            Assert.That(result.IsCostKnown, Is.EqualTo(expected.HasValue), "chat");
            Assert.That(final.Cost, Is.EqualTo(expected), "final stream update");
        }
    }

    /// <summary>The provider's cost multiplier scales the catalog price (not a cost the provider reports, nor a local zero).</summary>
    [Test]
    public async Task The_provider_cost_multiplier_scales_the_catalog_cost()
    {
        UseCosts(new CostCalculator(new TestModelCatalog()
            .Add(TestModelCatalog.AnyProvider, ExpectedModel, ConformancePrice)
            .SetMultiplier(Provider.Name, 1.5m)));
        decimal expected = ExpectedCatalogCost() * 1.5m;
        var (result, final) = await ChatAndStream();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Cost, Is.EqualTo(ExpectedCost(expected)), "chat");
            Assert.That(final.Cost, Is.EqualTo(ExpectedCost(expected)), "final stream update");
        }
    }

    /// <summary>A local provider's calls cost zero whatever the catalog says; a cloud provider's never do when the catalog prices its model.</summary>
    [Test]
    public async Task Only_a_local_provider_costs_zero_whatever_the_catalog_says()
    {
        UseCosts(new CostCalculator(new TestModelCatalog().Add(TestModelCatalog.AnyProvider, ExpectedModel, new ModelPrice { Input = 1000m, Output = 1000m })));
        var (result, final) = await ChatAndStream();

        using (Assert.EnterMultipleScope())
        {
            if (Provider.IsLocal)
            {
                Assert.That(result.Cost, Is.EqualTo(0m), "chat");
                Assert.That(final.Cost, Is.EqualTo(0m), "final stream update");
            }
            else
            {
                Assert.That(result.Cost, Is.GreaterThan(0m), "chat");
                Assert.That(final.Cost, Is.GreaterThan(0m), "final stream update");
            }
        }
    }

    /// <summary>Replaces <see cref="Costs"/> and creates the provider again with it.</summary>
    /// <param name="costs">The calculator.</param>
    protected void UseCosts(CostCalculator costs)
    {
        Costs = costs;
        Provider = CreateProvider(Handler, Time);
    }

    /// <summary>
    /// Gets the cost of the text scenarios' usage at <see cref="ConformancePrice"/>, written out: uncached input at $2.00, cached reads
    /// at $0.50, cache writes at $2.50, and all output (reasoning included, charged once) at $8.00 per million tokens.
    /// </summary>
    /// <returns>The cost in USD.</returns>
    protected decimal ExpectedCatalogCost()
    {
        long cached = ReportsCachedInputTokens ? ExpectedCachedInputTokens : 0;
        long uncached = ExpectedInputTokens - cached - ExpectedCacheWriteTokens;
        return ((uncached * 2.00m) + (cached * 0.50m) + (ExpectedCacheWriteTokens * 2.50m) + (ExpectedOutputTokens * 8.00m)) / 1_000_000m;
    }

    private decimal ExpectedCost(decimal catalogCost) => Provider.IsLocal ? 0m : ReportedCost ?? catalogCost;

    private async Task<(ChatResult Result, ChatStreamUpdate Final)> ChatAndStream()
    {
        Handler.Response = TextCompletion;
        var result = await Bounded(Provider.ChatAsync(CreateRequest()));
        Handler.Response = TextStream;
        var updates = await Drain(Provider.StreamAsync(CreateRequest()));
        Assert.That(updates[^1].IsFinal, Is.True);
        return (result, updates[^1]);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Errors
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Each error status maps to its exception type, naming the provider, with the right transience.</summary>
    /// <param name="scenario">The error.</param>
    /// <param name="expectedType">The exception type.</param>
    /// <param name="transient">Whether it is transient.</param>
    [TestCase(ErrorScenario.BadRequest, typeof(InvalidChatRequestException), false)]
    [TestCase(ErrorScenario.ContextLengthExceeded, typeof(ContextLengthExceededException), false)]
    [TestCase(ErrorScenario.Authentication, typeof(ProviderAuthenticationException), false)]
    [TestCase(ErrorScenario.PermissionDenied, typeof(ProviderPermissionException), false)]
    [TestCase(ErrorScenario.ModelNotFound, typeof(ModelNotFoundException), false)]
    [TestCase(ErrorScenario.RateLimited, typeof(RateLimitedException), true)]
    [TestCase(ErrorScenario.QuotaExhausted, typeof(QuotaExhaustedException), false)]
    [TestCase(ErrorScenario.ServerError, typeof(ProviderUnavailableException), true)]
    [TestCase(ErrorScenario.BadGatewayHtml, typeof(ProviderUnavailableException), true)]
    [TestCase(ErrorScenario.ServiceUnavailable, typeof(ProviderUnavailableException), true)]
    [TestCase(ErrorScenario.GatewayTimeout, typeof(ProviderTimeoutException), true)]
    [TestCase(ErrorScenario.Overloaded, typeof(ProviderOverloadedException), true)]
    public async Task Chat_error_status_maps_to_typed_exception(ErrorScenario scenario, Type expectedType, bool transient)
    {
        Handler.Response = RequireError(scenario);
        var ex = await CatchAsync(() => Provider.ChatAsync(CreateRequest()));
        AssertTypedError(ex, expectedType, transient);
        Assert.That(((LlmProviderException)ex).StatusCode, Is.EqualTo(Handler.Response!.StatusCode));
    }

    /// <summary>An error status on a streaming request throws the same typed exception before any update.</summary>
    /// <param name="scenario">The error.</param>
    /// <param name="expectedType">The exception type.</param>
    /// <param name="transient">Whether it is transient.</param>
    [TestCase(ErrorScenario.Authentication, typeof(ProviderAuthenticationException), false)]
    [TestCase(ErrorScenario.RateLimited, typeof(RateLimitedException), true)]
    [TestCase(ErrorScenario.QuotaExhausted, typeof(QuotaExhaustedException), false)]
    [TestCase(ErrorScenario.ServerError, typeof(ProviderUnavailableException), true)]
    [TestCase(ErrorScenario.BadGatewayHtml, typeof(ProviderUnavailableException), true)]
    public async Task Stream_error_status_maps_to_typed_exception(ErrorScenario scenario, Type expectedType, bool transient)
    {
        Handler.Response = RequireError(scenario);
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), updates));
        AssertTypedError(ex, expectedType, transient);
        Assert.That(updates, Is.Empty);
    }

    /// <summary><c>retry-after-ms</c> gives RetryAfter in milliseconds.</summary>
    [Test]
    public async Task Rate_limit_retry_after_comes_from_retry_after_ms()
    {
        Handler.Response = RequireError(ErrorScenario.RateLimited).WithHeader("retry-after-ms", "1500");
        var ex = await CatchAsync(() => Provider.ChatAsync(CreateRequest()));
        Assert.That(((LlmProviderException)ex).RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
    }

    /// <summary><c>Retry-After</c> in seconds gives RetryAfter.</summary>
    [Test]
    public async Task Rate_limit_retry_after_comes_from_retry_after_seconds()
    {
        Handler.Response = RequireError(ErrorScenario.RateLimited).WithHeader("Retry-After", "7");
        var ex = await CatchAsync(() => Provider.ChatAsync(CreateRequest()));
        Assert.That(((LlmProviderException)ex).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    /// <summary><c>Retry-After</c> as an HTTP date gives the wait from the provider's clock.</summary>
    [Test]
    public async Task Rate_limit_retry_after_comes_from_an_http_date()
    {
        var date = Time.GetUtcNow().AddSeconds(30).ToString("r", CultureInfo.InvariantCulture);
        Handler.Response = RequireError(ErrorScenario.RateLimited).WithHeader("Retry-After", date);
        var ex = await CatchAsync(() => Provider.ChatAsync(CreateRequest()));
        Assert.That(((LlmProviderException)ex).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    /// <summary><c>x-should-retry: false</c> makes a server error non-transient.</summary>
    [Test]
    public async Task Server_error_with_should_retry_false_is_not_transient()
    {
        Handler.Response = RequireError(ErrorScenario.ServerError).WithHeader("x-should-retry", "false");
        var ex = await CatchAsync(() => Provider.ChatAsync(CreateRequest()));
        Assert.That(ex, Is.TypeOf<ProviderUnavailableException>());
        Assert.That(((LlmProviderException)ex).IsTransient, Is.False, "x-should-retry: false is honoured for every provider (a gateway in front of any of them may send it)");
    }

    /// <summary>A transport failure is a transient <see cref="ProviderUnavailableException"/>.</summary>
    [Test]
    public async Task Transport_failure_is_provider_unavailable()
    {
        Handler.ThrowOnSend = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (conformance.invalid:443)");
        var ex = await CatchAsync(() => Provider.ChatAsync(CreateRequest()));
        AssertTypedError(ex, typeof(ProviderUnavailableException), transient: true);
    }

    /// <summary>No exception of any error path contains the API key, not even a part of it (message, ToString, body).</summary>
    [Test]
    public async Task Exceptions_never_contain_the_api_key()
    {
        var checkedCount = 0;
        foreach (var scenario in Enum.GetValues<ErrorScenario>())
        {
            if (GetErrorResponse(scenario) is not { } response)
            {
                continue;
            }

            Handler.Response = response;
            AssertNoKey(await CatchAsync(() => Provider.ChatAsync(CreateRequest())), scenario.ToString());
            Handler.Response = response;
            AssertNoKey(await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), [])), scenario + " (stream)");
            checkedCount++;
        }

        Handler.Response = StreamWithErrorEvent;
        AssertNoKey(await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), [])), "mid-stream error");
        Handler.Response = StreamWithoutTerminator;
        AssertNoKey(await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), [])), "interrupted stream");
        Handler.Response = TextCompletion.WithBody(Truncate(TextCompletion.Body));
        AssertNoKey(await CatchAsync(() => Provider.ChatAsync(CreateRequest())), "malformed");
        Assert.That(checkedCount, Is.GreaterThanOrEqualTo(5));
        Assert.That(GetErrorResponse(ErrorScenario.Authentication)!.BodyText, Does.Contain(MaskedApiKey), "The 401 body should echo the masked key, as providers do.");
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Cancellation
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>A token cancelled before the call throws at once and sends nothing.</summary>
    [Test]
    public async Task Chat_cancelled_before_send_throws_without_sending()
    {
        Handler.Response = TextCompletion;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var ex = await CatchAsync(() => Provider.ChatAsync(CreateRequest(), cts.Token));
        Assert.That(ex, Is.InstanceOf<OperationCanceledException>());
        Assert.That(Handler.Requests, Is.Empty);
    }

    /// <summary>A stream with a cancelled token throws at once and sends nothing.</summary>
    [Test]
    public async Task Stream_cancelled_before_send_throws_without_sending()
    {
        Handler.Response = TextStream;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var ex = await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest(), cts.Token), []));
        Assert.That(ex, Is.InstanceOf<OperationCanceledException>());
        Assert.That(Handler.Requests, Is.Empty);
    }

    /// <summary>Cancelling while the body is being read stops the call promptly with <see cref="OperationCanceledException"/>.</summary>
    [Test]
    public async Task Chat_cancelled_while_reading_the_body_stops_promptly()
    {
        Handler.Response = TextCompletion;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = TextCompletion.Body.Length / 2 };
        using var cts = new CancellationTokenSource();
        var call = Provider.ChatAsync(CreateRequest(), cts.Token);
        await Bounded(WaitForPause());
        Assert.That(call.IsCompleted, Is.False);

        var watch = Stopwatch.StartNew();
        await cts.CancelAsync();
        var ex = await CatchAsync(() => call);
        watch.Stop();
        Assert.That(ex, Is.InstanceOf<OperationCanceledException>());
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "Cancellation must stop the call promptly.");
        Assert.That(Handler.LastBody!.IsDisposed, Is.True, "The response must be released.");
    }

    /// <summary>Cancelling mid-stream stops the HTTP read promptly with <see cref="OperationCanceledException"/> and releases the response.</summary>
    [Test]
    public async Task Stream_cancelled_mid_stream_stops_the_read_promptly()
    {
        Handler.Response = TextStream;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = FirstEventEnd(TextStream) };
        using var cts = new CancellationTokenSource();
        var e = Provider.StreamAsync(CreateRequest(), cts.Token).GetAsyncEnumerator(cts.Token);
        try
        {
            Assert.That(await Bounded(e.MoveNextAsync().AsTask()), Is.True);
            var next = e.MoveNextAsync().AsTask();
            await Bounded(WaitForPause());
            Assert.That(next.IsCompleted, Is.False, "The stream should be waiting for the paused body.");

            var watch = Stopwatch.StartNew();
            await cts.CancelAsync();
            var ex = await CatchAsync(() => next);
            watch.Stop();
            Assert.That(ex, Is.InstanceOf<OperationCanceledException>());
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "Cancellation must stop the read promptly.");
        }
        finally
        {
            await e.DisposeAsync();
        }

        Assert.That(Handler.LastBody!.IsDisposed, Is.True, "The response must be released.");
    }

    /// <summary>A caller that stops enumerating early releases the response.</summary>
    [Test]
    public async Task Stream_abandoned_by_the_caller_releases_the_response()
    {
        Handler.Response = TextStream;
        await foreach (var update in Provider.StreamAsync(CreateRequest()))
        {
            Assert.That(update.Text, Is.EqualTo(ExpectedTextDeltas[0]));
            break;
        }

        Assert.That(Handler.LastBody!.IsDisposed, Is.True);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Malformed bodies (SPEC R3)
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>A truncated JSON body is a malformed response naming the provider.</summary>
    [Test]
    public async Task Chat_truncated_json_is_malformed()
    {
        Handler.Response = TextCompletion.WithBody(Truncate(TextCompletion.Body));
        AssertTypedError(await CatchAsync(() => Provider.ChatAsync(CreateRequest())), typeof(MalformedResponseException), transient: false);
    }

    /// <summary>An HTML page with status 200 is a malformed response.</summary>
    [Test]
    public async Task Chat_html_page_with_200_is_malformed()
    {
        Handler.Response = CannedResponse.HtmlPage(HttpStatusCode.OK);
        AssertTypedError(await CatchAsync(() => Provider.ChatAsync(CreateRequest())), typeof(MalformedResponseException), transient: false);
    }

    /// <summary>An empty 200 body is a malformed response.</summary>
    [Test]
    public async Task Chat_empty_200_is_malformed()
    {
        Handler.Response = TextCompletion.WithBody([]);
        AssertTypedError(await CatchAsync(() => Provider.ChatAsync(CreateRequest())), typeof(MalformedResponseException), transient: false);
    }

    /// <summary>A body with invalid UTF-8 is a malformed response, never garbled text.</summary>
    [Test]
    public async Task Chat_invalid_utf8_is_malformed()
    {
        Handler.Response = TextCompletion.WithBody(CorruptUtf8(TextCompletion.Body));
        AssertTypedError(await CatchAsync(() => Provider.ChatAsync(CreateRequest())), typeof(MalformedResponseException), transient: false);
    }

    /// <summary>An empty 200 stream is a malformed response (not a short answer).</summary>
    [Test]
    public async Task Stream_empty_200_is_malformed()
    {
        Handler.Response = TextStream.WithBody([]);
        AssertTypedError(await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), [])), typeof(MalformedResponseException), transient: false);
    }

    /// <summary>A stream that ends without its terminal event is interrupted, carrying the text received.</summary>
    [Test]
    public async Task Stream_without_terminator_is_interrupted_with_partial_text()
    {
        Handler.Response = StreamWithoutTerminator;
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), updates));
        AssertTypedError(ex, typeof(StreamInterruptedException), transient: true);
        var interrupted = (StreamInterruptedException)ex;
        var expected = ExpectedTextDeltas[0] + ExpectedTextDeltas[1];
        Assert.That(interrupted.PartialText, Is.EqualTo(expected));
        Assert.That(ConcatText(updates), Is.EqualTo(expected));
        Assert.That(updates.Any(u => u.IsFinal), Is.False, "No final update may follow an interruption.");
    }

    /// <summary>A stream cut in the middle of an event is interrupted, carrying the text received.</summary>
    [Test]
    public async Task Stream_cut_mid_event_is_interrupted()
    {
        var body = TextStream.Body;
        int cut = IndexOf(body, Encoding.UTF8.GetBytes(ExpectedTextDeltas[2])) - 2;
        Assert.That(cut, Is.GreaterThan(0), "The text stream must carry the third delta.");
        Handler.Response = TextStream.WithBody(body[..cut]);
        var ex = await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), []));
        AssertTypedError(ex, typeof(StreamInterruptedException), transient: true);
        Assert.That(((StreamInterruptedException)ex).PartialText, Is.EqualTo(ExpectedTextDeltas[0] + ExpectedTextDeltas[1]));
    }

    /// <summary>An error event after the first delta throws a typed exception after that delta.</summary>
    [Test]
    public async Task Stream_mid_stream_error_event_throws_typed_error()
    {
        Handler.Response = StreamWithErrorEvent;
        var updates = new List<ChatStreamUpdate>();
        var ex = await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), updates));
        Assert.That(ex, Is.InstanceOf<LlmProviderException>());
        Assert.That(ex, Is.Not.InstanceOf<MalformedResponseException>(), "An error event is the provider's error, not garbage.");
        AssertNamesProvider((LlmProviderException)ex);
        Assert.That(ConcatText(updates), Is.EqualTo(ExpectedTextDeltas[0]));
        Assert.That(updates.Any(u => u.IsFinal), Is.False);
    }

    /// <summary>A stream event with invalid UTF-8 is a malformed response.</summary>
    [Test]
    public async Task Stream_invalid_utf8_is_malformed()
    {
        Handler.Response = TextStream.WithBody(CorruptUtf8(TextStream.Body));
        AssertTypedError(await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), [])), typeof(MalformedResponseException), transient: false);
    }

    /// <summary>A body whose SSE framing is broken (no <c>data:</c> fields) is a malformed response, not an empty answer.</summary>
    [Test]
    public async Task Stream_with_bad_framing_is_malformed()
    {
        Handler.Response = BadlyFramedStream;
        AssertTypedError(await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), [])), typeof(MalformedResponseException), transient: false);
    }

    /// <summary>An HTML page with status 200 answering a stream is a malformed response.</summary>
    [Test]
    public async Task Stream_html_page_with_200_is_malformed()
    {
        Handler.Response = CannedResponse.HtmlPage(HttpStatusCode.OK);
        AssertTypedError(await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), [])), typeof(MalformedResponseException), transient: false);
    }

    /// <summary>A connection reset mid-stream is an interruption carrying the text received.</summary>
    [Test]
    public async Task Stream_connection_reset_is_interrupted_with_partial_text()
    {
        Handler.Response = TextStream;
        Handler.BodyOptions = new ScriptedBodyOptions { FailAfterBytes = FirstEventEnd(TextStream) };
        var ex = await CatchAsync(() => Collect(Provider.StreamAsync(CreateRequest()), []));
        AssertTypedError(ex, typeof(StreamInterruptedException), transient: true);
        Assert.That(((StreamInterruptedException)ex).PartialText, Is.EqualTo(ExpectedTextDeltas[0]));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Request immutability, health, models
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Neither chat nor stream changes the request.</summary>
    [Test]
    public async Task Request_is_not_mutated()
    {
        var request = CreateToolRequest();
        request.Temperature = 0.5f;
        request.MaxOutputTokens = 123;
        request.StopSequences = ["END"];
        request.Tags = new Dictionary<string, string> { ["workspace"] = "w1" };
        var before = Snapshot(request);

        Handler.Response = ToolCallCompletion;
        await Bounded(Provider.ChatAsync(request));
        Handler.Response = ToolCallStream;
        await Drain(Provider.StreamAsync(request));

        Assert.That(Snapshot(request), Is.EqualTo(before));
    }

    /// <summary>The model list gives the ids in order.</summary>
    [Test]
    public async Task List_models_returns_the_ids()
    {
        Handler.Response = ModelList;
        var models = await Bounded(Provider.ListModelsAsync());
        Assert.That(models.Select(m => m.Id), Is.EqualTo(ExpectedModelIds));
    }

    /// <summary>A health check is healthy, measures latency on the provider's clock, and never posts a (paid) completion.</summary>
    [Test]
    public async Task Health_check_is_healthy_measures_latency_and_never_posts_a_completion()
    {
        Handler.Response = ModelList;
        Handler.ServerLatency = TimeSpan.FromMilliseconds(80);
        var health = await Bounded(Provider.CheckHealthAsync());
        Assert.Multiple(() =>
        {
            Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Healthy));
            Assert.That(health.ProviderName, Is.EqualTo(Provider.Name));
            Assert.That(health.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(80)));
            Assert.That(health.Error, Is.Null);
        });
        Assert.That(Handler.Requests.Select(r => r.Method), Is.All.EqualTo(HttpMethod.Get));
    }

    /// <summary>A failing health check reports Unhealthy with the typed error instead of throwing.</summary>
    [Test]
    public async Task Health_check_reports_failure_as_unhealthy_without_throwing()
    {
        Handler.Response = RequireError(ErrorScenario.Authentication);
        var health = await Bounded(Provider.CheckHealthAsync());
        Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
        Assert.That(health.Error, Is.TypeOf<ProviderAuthenticationException>());
        AssertNoKey(health.Error!, "health");
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Fuzz (SPEC R3)
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Thousands of mutated completion bodies each end in a result or a typed <see cref="LlmProviderException"/>, never a hang.</summary>
    [Test]
    public Task Fuzzed_completion_bodies_end_in_a_result_or_a_typed_exception() =>
        Fuzz([TextCompletion, ToolCallCompletion], streaming: false, seed: 20260101, iterations: 1500);

    /// <summary>Thousands of mutated stream bodies each end in a final update or a typed <see cref="LlmProviderException"/>, never a hang.</summary>
    [Test]
    public Task Fuzzed_stream_bodies_end_in_a_final_update_or_a_typed_exception() =>
        Fuzz([TextStream, ToolCallStream], streaming: true, seed: 20260102, iterations: 1500);

    // ----------------------------------------------------------------------------------------------------------------
    // Helpers for subclasses
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Awaits a task with a real-time safety net against hangs (a hang fails the test instead of blocking the run).</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task.</param>
    /// <returns>The result.</returns>
    protected static Task<T> Bounded<T>(Task<T> task) => task.WaitAsync(HangTimeout);

    /// <summary>Awaits a task with the real-time safety net against hangs.</summary>
    /// <param name="task">The task.</param>
    /// <returns>A task.</returns>
    protected static Task Bounded(Task task) => task.WaitAsync(HangTimeout);

    /// <summary>Reads a whole stream (bounded against hangs).</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>Every update.</returns>
    protected static async Task<List<ChatStreamUpdate>> Drain(IAsyncEnumerable<ChatStreamUpdate> stream)
    {
        var updates = new List<ChatStreamUpdate>();
        await Bounded(Collect(stream, updates));
        return updates;
    }

    /// <summary>Reads a stream into <paramref name="updates"/> (so a test can see what arrived before an exception).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="updates">Receives the updates.</param>
    /// <returns>A task.</returns>
    protected static async Task Collect(IAsyncEnumerable<ChatStreamUpdate> stream, List<ChatStreamUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(updates);
        await foreach (var update in stream)
        {
            updates.Add(update);
        }
    }

    /// <summary>Runs an action expected to fail and returns its exception (bounded against hangs); fails the test if it succeeds.</summary>
    /// <param name="action">The action.</param>
    /// <returns>The exception.</returns>
    protected static async Task<Exception> CatchAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Task task;
        try
        {
            task = action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        try
        {
            await task.WaitAsync(HangTimeout);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            Assert.Fail($"The call did not end within {HangTimeout.TotalSeconds} s (a hang).");
        }
        catch (Exception ex)
        {
            return ex;
        }

        Assert.Fail("The call succeeded; an exception was expected.");
        return null!;
    }

    /// <summary>Asserts the exception is exactly <paramref name="expectedType"/>, names the provider and has the transience.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="expectedType">The type.</param>
    /// <param name="transient">The expected <see cref="LlmProviderException.IsTransient"/>.</param>
    protected void AssertTypedError(Exception exception, Type expectedType, bool transient)
    {
        Assert.That(exception, Is.TypeOf(expectedType), () => $"Got {exception}");
        var typed = (LlmProviderException)exception;
        AssertNamesProvider(typed);
        Assert.That(typed.IsTransient, Is.EqualTo(transient), "IsTransient");
        AssertNoKey(typed, expectedType.Name);
    }

    /// <summary>Asserts the exception names the provider (property and message).</summary>
    /// <param name="exception">The exception.</param>
    protected void AssertNamesProvider(LlmProviderException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Assert.That(exception.ProviderName, Is.EqualTo(Provider.Name));
        Assert.That(exception.Message, Does.Contain(Provider.Name));
    }

    /// <summary>Asserts no 5-character part of <see cref="ApiKey"/> appears in the exception's message, ToString, body or inner exceptions.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="what">What produced it, for the failure message.</param>
    protected static void AssertNoKey(Exception exception, string what)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var texts = new List<string> { exception.Message, exception.ToString() };
        if (exception is LlmProviderException { ResponseBody: { } body })
        {
            texts.Add(body);
        }

        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            texts.Add(inner.Message);
        }

        foreach (var text in texts)
        {
            for (int i = 0; i + 5 <= ApiKey.Length; i++)
            {
                var part = ApiKey.Substring(i, 5);
                Assert.That(text, Does.Not.Contain(part), $"{what}: a part of the API key ('{part}') leaked into: {text}");
            }
        }
    }

    /// <summary>Asserts the usage numbers of the text scenarios.</summary>
    /// <param name="usage">The usage.</param>
    protected void AssertExpectedUsage(UsageDetails? usage)
    {
        Assert.That(usage, Is.Not.Null, "usage");
        Assert.Multiple(() =>
        {
            Assert.That(usage!.InputTokenCount, Is.EqualTo(ExpectedInputTokens), "input");
            Assert.That(usage.OutputTokenCount, Is.EqualTo(ExpectedOutputTokens), "output");
            Assert.That(usage.TotalTokenCount, Is.EqualTo(ExpectedTotalTokens), "total");
            if (ReportsCachedInputTokens)
            {
                Assert.That(usage.CachedInputTokenCount, Is.EqualTo(ExpectedCachedInputTokens), "cached input");
            }

            if (ReportsReasoningTokens)
            {
                Assert.That(usage.ReasoningTokenCount, Is.EqualTo(ExpectedReasoningTokens), "reasoning");
            }
        });
    }

    /// <summary>The result the loop tests' weather tool returns (to find in the second request).</summary>
    public const string WeatherToolResult = "Sunny-21C-in-Paris";

    /// <summary>The result the loop tests' time tool returns (to find in the second request).</summary>
    public const string TimeToolResult = "14:05-CET";

    /// <summary>
    /// Asserts the wire shape of the request that sends the tool results back (the second request of the tool-loop tests),
    /// beyond the base's checks (both results present, after the calls, with the call ids when <see cref="ReportsToolCallIds"/>).
    /// </summary>
    /// <param name="request">The recorded second request.</param>
    protected virtual void AssertToolResultRequest(RecordedRequest request)
    {
    }

    /// <summary>Gets the id a call id is sent back under on the wire (a provider that rewrites ids, like Mistral's 9-character ids, overrides this).</summary>
    /// <param name="callId">The call id the provider reported.</param>
    /// <returns>The id on the wire.</returns>
    protected virtual string WireToolCallId(string callId) => callId;

    private static (LlmToolRegistry Tools, System.Collections.Concurrent.ConcurrentBag<string> Ran) LoopTools()
    {
        var ran = new System.Collections.Concurrent.ConcurrentBag<string>();
        var tools = new LlmToolRegistry()
            .Register(WeatherToolName, (string city) => { ran.Add(WeatherToolName + ":" + city); return WeatherToolResult; }, "Gets the weather of a city.")
            .Register(TimeToolName, (string timezone) => { ran.Add(TimeToolName + ":" + timezone); return TimeToolResult; }, "Gets the time in a time zone.");
        return (tools, ran);
    }

    private void AssertToolResultsSent(bool streaming)
    {
        Assert.That(Handler.Requests, Has.Count.EqualTo(2));
        var second = Handler.Requests[1];
        string body = second.BodyText;
        int weather = body.IndexOf(WeatherToolResult, StringComparison.Ordinal);
        int time = body.IndexOf(TimeToolResult, StringComparison.Ordinal);
        int call = body.IndexOf(ReportsToolCallIds ? WireToolCallId(WeatherCallId) : WeatherToolName, StringComparison.Ordinal);
        Assert.That(second.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(second.Uri + body, Does.Contain(RequestedModel), "the second call asks for the same model");
        Assert.Multiple(() =>
        {
            Assert.That(weather, Is.GreaterThanOrEqualTo(0), "the weather result is sent back");
            Assert.That(time, Is.GreaterThan(weather), "the time result follows, in call order");
            Assert.That(call, Is.InRange(0, weather), "the assistant's calls come before their results");
            if (ReportsToolCallIds)
            {
                Assert.That(body.IndexOf(WireToolCallId(TimeCallId), StringComparison.Ordinal), Is.GreaterThanOrEqualTo(0), "the results name their call ids");
            }

            Assert.That(body, Does.Contain("Paris"), "the calls' arguments are sent back");
        });
        AssertToolResultRequest(second);
    }

    /// <summary>Asserts the two tool calls of the tool scenarios, in order.</summary>
    /// <param name="calls">The calls.</param>
    protected void AssertExpectedToolCalls(IReadOnlyList<FunctionCallContent> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        Assert.That(calls, Has.Count.EqualTo(2), "tool calls");
        Assert.Multiple(() =>
        {
            Assert.That(calls[0].Name, Is.EqualTo(WeatherToolName));
            Assert.That(calls[0].Exception, Is.Null);
            Assert.That(calls[0].Arguments?["city"]?.ToString(), Is.EqualTo("Paris"));
            Assert.That(calls[1].Name, Is.EqualTo(TimeToolName));
            Assert.That(calls[1].Exception, Is.Null);
            Assert.That(calls[1].Arguments?["timezone"]?.ToString(), Is.EqualTo("Europe/Paris"));
            if (ReportsToolCallIds)
            {
                Assert.That(calls[0].CallId, Is.EqualTo(WeatherCallId));
                Assert.That(calls[1].CallId, Is.EqualTo(TimeCallId));
            }
            else
            {
                Assert.That(calls[0].CallId, Is.Not.Empty);
                Assert.That(calls[1].CallId, Is.Not.EqualTo(calls[0].CallId));
            }
        });
    }

    /// <summary>Concatenates the text of the non-final updates.</summary>
    /// <param name="updates">The updates.</param>
    /// <returns>The text.</returns>
    protected static string ConcatText(IEnumerable<ChatStreamUpdate> updates) => string.Concat(updates.Where(u => !u.IsFinal).Select(u => u.Text));

    /// <summary>Gets the byte offset just after the event that carries the first text delta (where a pause or reset proves incremental delivery).</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>The offset.</returns>
    protected static int FirstEventEnd(CannedResponse stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var body = stream.Body;
        int text = IndexOf(body, Encoding.UTF8.GetBytes(ExpectedTextDeltas[0]));
        Assert.That(text, Is.GreaterThanOrEqualTo(0), "The stream must carry the first text delta.");
        foreach (var terminator in new[] { "\r\n\r\n"u8.ToArray(), "\n\n"u8.ToArray(), "\n"u8.ToArray() })
        {
            int end = IndexOf(body.AsSpan(text), terminator);
            if (end >= 0)
            {
                return text + end + terminator.Length;
            }
        }

        return body.Length;
    }

    /// <summary>Finds <paramref name="value"/> in <paramref name="body"/>.</summary>
    /// <param name="body">The bytes.</param>
    /// <param name="value">The bytes to find.</param>
    /// <returns>The offset, or -1.</returns>
    protected static int IndexOf(ReadOnlySpan<byte> body, ReadOnlySpan<byte> value) => body.IndexOf(value);

    /// <summary>Cuts a body in the middle.</summary>
    /// <param name="body">The body.</param>
    /// <returns>Its first half.</returns>
    protected static byte[] Truncate(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body[..(body.Length / 2)];
    }

    /// <summary>Replaces the "ö" of <see cref="ExpectedText"/> (C3 B6) in a body by an invalid UTF-8 sequence (C3 28).</summary>
    /// <param name="body">The body.</param>
    /// <returns>The corrupted copy.</returns>
    protected static byte[] CorruptUtf8(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var copy = (byte[])body.Clone();
        int at = IndexOf(copy, "ö"u8);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), "The body must carry the text with 'ö'.");
        copy[at + 1] = 0x28;
        return copy;
    }

    private static JsonElement ObjectSchema(string property)
    {
        using var document = JsonDocument.Parse($$$"""{"type":"object","properties":{"{{{property}}}":{"type":"string"}},"required":["{{{property}}}"],"additionalProperties":false}""");
        return document.RootElement.Clone();
    }

    private CannedResponse? GetErrorResponse(ErrorScenario scenario) =>
        scenario == ErrorScenario.BadGatewayHtml ? CannedResponse.HtmlPage(HttpStatusCode.BadGateway) : ErrorResponse(scenario);

    private CannedResponse RequireError(ErrorScenario scenario)
    {
        var response = GetErrorResponse(scenario);
        Assert.That(response, Is.Not.Null, $"Supply the provider's {scenario} error: every provider (or a gateway in front of it) can answer so.");
        return response!;
    }

    private Task WaitForPause() => Handler.WaitForBodyPauseAsync();

    private static string Snapshot(ChatRequest request)
    {
        var sb = new StringBuilder();
        sb.Append(request.Model).Append('|').Append(request.Temperature).Append('|').Append(request.MaxOutputTokens).Append('|');
        sb.Append(request.Messages.Count).Append('|').Append(RuntimeHelpers(request.Messages)).Append('|');
        foreach (var m in request.Messages)
        {
            sb.Append(m.Role).Append(':').Append(m.Contents.Count).Append(':').Append(m.Text).Append(';');
        }

        sb.Append('|').Append(request.Tools?.Count).Append('|').Append(string.Join(",", request.Tools?.Select(t => t.Name) ?? []));
        sb.Append('|').Append(string.Join(",", request.StopSequences ?? []));
        sb.Append('|').Append(string.Join(",", request.Tags?.Select(t => t.Key + "=" + t.Value) ?? []));
        sb.Append('|').Append(request.AdditionalRequestFields?.Count);
        return sb.ToString();

        static int RuntimeHelpers(object o) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(o);
    }

    private async Task Fuzz(CannedResponse[] bases, bool streaming, int seed, int iterations)
    {
        var random = new Random(seed);
        var failures = new List<string>();
        var request = CreateToolRequest();
        int results = 0, typed = 0;
        for (int i = 0; i < iterations && failures.Count < 10; i++)
        {
            var original = bases[i % bases.Length];
            var mutated = BodyMutator.Mutate(original.Body, random);
            Handler.Response = original.WithBody(mutated);
            Handler.BodyOptions = new ScriptedBodyOptions { SplitSeed = random.Next(), MaxReadSize = 1 + random.Next(64) };
            Task call = streaming ? Collect(Provider.StreamAsync(request), []) : Provider.ChatAsync(request);
            try
            {
                await call.WaitAsync(HangTimeout);
                results++;
            }
            catch (LlmProviderException ex)
            {
                typed++;
                if (ex.ProviderName != Provider.Name)
                {
                    failures.Add($"iteration {i}: {ex.GetType().Name} does not name the provider: {ex.Message}");
                }
            }
            catch (TimeoutException) when (!call.IsCompleted)
            {
                failures.Add($"iteration {i}: hang. Body: {Encoding.UTF8.GetString(mutated)}");
            }
            catch (Exception ex)
            {
                failures.Add($"iteration {i}: untyped {ex.GetType().FullName}: {ex.Message}\nBody: {Encoding.UTF8.GetString(mutated)}");
            }
        }

        Assert.That(failures, Is.Empty, () => string.Join("\n\n", failures));
        Assert.That(results + typed, Is.EqualTo(iterations));
        Assert.That(typed, Is.GreaterThan(0), "The mutations should break some bodies.");
    }
}
