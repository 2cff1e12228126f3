using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Tests.Compatible;

/// <summary>Any other OpenAI-compatible endpoint: configurable key header, extra headers, the <c>stream_options</c> switch, and the shared quirks.</summary>
public sealed class CustomEndpointPresetTests : CompatiblePresetTestBase
{
    private static string Chunk(string delta, string? finish = null) =>
        $$$"""{"id":"msg_1","object":"chat.completion.chunk","created":0,"model":"claude-haiku-4-5-20251001","choices":[{"index":0,"delta":{{{delta}}},"finish_reason":{{{(finish is null ? "null" : "\"" + finish + "\"")}}}}]}""";

    [Test]
    public async Task Tool_call_index_starting_at_1_is_assembled()
    {
        // SUMMARY #14: Anthropic's OpenAI-compatible endpoint numbers tool calls from 1.
        var updates = await StreamAsync(Events(
            Chunk("""{"role":"assistant"}"""),
            Chunk("""{"content":"Reading it."}"""),
            Chunk("""{"tool_calls":[{"index":1,"id":"toolu_1","type":"function","function":{"name":"read_file","arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":"{\"pa"}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":"th\": \"a.txt\"}"}}]}"""),
            Chunk("{}", "tool_calls"),
            "[DONE]"), provider: Preset(CompatiblePreset.Custom));

        var call = Final(updates).ToolCalls!.Single();
        Assert.That(call.CallId, Is.EqualTo("toolu_1"));
        Assert.That(call.Name, Is.EqualTo("read_file"));
        Assert.That(call.Arguments!["path"]!.ToString(), Is.EqualTo("a.txt"));
        Assert.That(ConcatText(updates), Is.EqualTo("Reading it."));
    }

    [Test]
    public async Task Tool_calls_without_index_are_assembled_in_order()
    {
        // SUMMARY #14: some servers send no index; each call comes whole or continues the last one.
        var updates = await StreamAsync(Events(
            Chunk("""{"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":"}}]}"""),
            Chunk("""{"tool_calls":[{"function":{"arguments":"\"Paris\"}"}}]}"""),
            Chunk("""{"tool_calls":[{"id":"c2","type":"function","function":{"name":"get_time","arguments":"{}"}}]}"""),
            Chunk("{}", "tool_calls"),
            "[DONE]"), provider: Preset(CompatiblePreset.Custom));

        var calls = Final(updates).ToolCalls!;
        Assert.That(calls.Select(c => c.CallId), Is.EqualTo(new[] { "c1", "c2" }));
        Assert.That(calls[0].Arguments!["city"]!.ToString(), Is.EqualTo("Paris"));
    }

    [Test]
    public async Task Reasoning_content_and_a_tool_call_from_an_xai_style_stream()
    {
        // SUMMARY #12: reasoning_content deltas → reasoning, then a tool call.
        var updates = await StreamAsync(Events(
            """{"id":"7027d986","object":"chat.completion.chunk","created":1770772293,"model":"grok-3-mini","choices":[{"index":0,"delta":{"reasoning_content":"First","role":"assistant"}}],"system_fingerprint":"fp_2a885414fb"}""",
            """{"id":"7027d986","object":"chat.completion.chunk","created":1770772293,"model":"grok-3-mini","choices":[{"index":0,"delta":{"reasoning_content":", the weather."}}],"system_fingerprint":"fp_2a885414fb"}""",
            """{"id":"7027d986","object":"chat.completion.chunk","created":1770772294,"model":"grok-3-mini","choices":[{"index":0,"delta":{"tool_calls":[{"id":"call_1","function":{"name":"get_weather","arguments":"{\"city\":\"SF\"}"},"index":0,"type":"function"}]}}],"system_fingerprint":"fp_2a885414fb"}""",
            """{"id":"7027d986","object":"chat.completion.chunk","created":1770772294,"model":"grok-3-mini","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":10,"completion_tokens":20,"total_tokens":30,"completion_tokens_details":{"reasoning_tokens":15}},"system_fingerprint":"fp_2a885414fb"}""",
            "[DONE]"), provider: Preset(CompatiblePreset.Custom));

        Assert.That(string.Concat(updates.Select(u => u.ReasoningText)), Is.EqualTo("First, the weather."));
        var final = Final(updates);
        Assert.That(final.ToolCalls!.Single().Name, Is.EqualTo("get_weather"));
        Assert.That(final.Usage!.ReasoningTokenCount, Is.EqualTo(15));
    }

    [Test]
    public async Task Unknown_fields_everywhere_are_ignored()
    {
        // SUMMARY #31.
        var body = """{"id":"x","object":"chat.completion","created":1,"model":"m","service_tier":"default","inference_geo":"eu","choices":[{"index":0,"message":{"role":"assistant","content":"ok","annotations":[],"audio":null,"stop_details":{"a":[1,{"b":null}]}},"finish_reason":"stop","native_finish_reason":"STOP","obfuscation":"Xy"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2,"server_tool_use":{"web_search_requests":0}},"extra":{"nested":[true,false]}}""";
        var result = await ChatAsync(CannedResponse.Json(body), provider: Preset(CompatiblePreset.Custom));
        Assert.That(result.Text, Is.EqualTo("ok"));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Sends_the_key_in_the_configured_header_without_scheme_and_the_extra_headers()
    {
        var provider = Preset(CompatiblePreset.Custom, o =>
        {
            o.ApiKeyHeaderName = "api-key";
            o.ApiKeyScheme = null;
            o.Headers["X-Tenant"] = "acme";
        });
        await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")), provider: provider);

        var sent = Handler.LastRequest;
        Assert.That(sent.Uri, Is.EqualTo(new Uri("https://llm.example.com/v1/chat/completions")));
        Assert.That(sent.Header("api-key"), Is.EqualTo(Key));
        Assert.That(sent.Header("Authorization"), Is.Null);
        Assert.That(sent.Header("X-Tenant"), Is.EqualTo("acme"));
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.OpenAICompatible));
    }

    [Test]
    public async Task Custom_scheme_is_written_before_the_key()
    {
        await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")), provider: Preset(CompatiblePreset.Custom, o => o.ApiKeyScheme = "Token"));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Token " + Key));
    }

    [Test]
    public async Task Switching_off_stream_usage_leaves_out_stream_options()
    {
        // SUMMARY #32: strict servers answer 422 to stream_options; the usage in the finish chunk is still read (#8).
        var updates = await StreamAsync(
            Events(Chunk("""{"content":"Hi"}"""), """{"id":"msg_1","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""", "[DONE]"),
            provider: Preset(CompatiblePreset.Custom, o => o.IncludeStreamUsage = false));

        var json = Handler.LastRequest.Json();
        Assert.That(json.GetProperty("stream").GetBoolean(), Is.True);
        Assert.That(json.TryGetProperty("stream_options", out _), Is.False);
        Assert.That(Final(updates).Usage!.TotalTokenCount, Is.EqualTo(4));
    }

    [Test]
    public async Task Sends_max_tokens_and_the_system_role_and_no_top_k()
    {
        var request = new ChatRequest([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi")]) { Model = "o3-mini", MaxOutputTokens = 50, TopK = 5 };
        await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")), request, Preset(CompatiblePreset.Custom));

        var json = Handler.LastRequest.Json();
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.EqualTo(50));
        Assert.That(json.TryGetProperty("max_completion_tokens", out _), Is.False);
        Assert.That(json.GetProperty("messages")[0].GetProperty("role").GetString(), Is.EqualTo("system"), "compatible servers do not know the developer role");
        Assert.That(json.TryGetProperty("top_k", out _), Is.False);
    }

    [Test]
    public async Task A_local_custom_endpoint_needs_no_key_and_costs_zero()
    {
        var provider = Preset(CompatiblePreset.Custom, o => { o.ApiKey = null; o.IsLocal = true; o.BaseUrl = new Uri("http://127.0.0.1:1234/v1"); });
        Assert.That(provider.IsLocal, Is.True);
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("ok")), provider: provider);
        Assert.That(result.Cost, Is.EqualTo(0m));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.Null);
    }

    [Test]
    public void Standalone_factory_requires_a_base_url()
    {
        var ex = Assert.Throws<ArgumentException>(() => OpenAICompatibleProviders.Create(new OpenAICompatibleProviderOptions { ApiKey = Key }, name: "gateway"));
        Assert.That(ex!.Message, Does.Contain("LlmProviders:gateway: BaseUrl is missing"));
    }

    [Test]
    public void Standalone_factory_refuses_a_missing_key_unless_allowed()
    {
        var options = new OpenAICompatibleProviderOptions { BaseUrl = new Uri("https://llm.example.com/v1") };
        var ex = Assert.Throws<ArgumentException>(() => OpenAICompatibleProviders.Create(options));
        Assert.That(ex!.Message, Does.Contain("LlmProviders:custom: ApiKey is missing").And.Contain("AllowMissingApiKey"));

        options.AllowMissingApiKey = true;
        Assert.That(OpenAICompatibleProviders.Create(options).Kind, Is.EqualTo(LlmProviderKinds.OpenAICompatible));
    }

    [Test]
    public void Standalone_factories_never_change_the_callers_options()
    {
        var options = new OpenAICompatibleProviderOptions { ApiKey = Key };
        options.Headers["X-A"] = "1";
        var provider = OpenAICompatibleProviders.CreateVllm(options);
        Assert.That(options.BaseUrl, Is.Null);
        Assert.That(options.Headers, Has.Count.EqualTo(1));
        Assert.That(provider.Kind, Is.EqualTo(LlmProviderKinds.Vllm));
        Assert.That(OpenAICompatibleProviders.CreateLocalAI().IsLocal, Is.True);
    }

    [Test]
    public void Header_that_duplicates_the_key_header_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Preset(CompatiblePreset.Custom, o => o.Headers["authorization"] = "Bearer other", "gateway"));
        Assert.That(ex!.Message, Does.Contain("Headers sets 'authorization'"));
        Assert.That(ex.Message, Does.Not.Contain(Key[8..]));
    }

    [Test]
    public void Invalid_key_header_name_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Preset(CompatiblePreset.Custom, o => o.ApiKeyHeaderName = "api key"));
        Assert.That(ex!.Message, Does.Contain("ApiKeyHeaderName 'api key' is not a valid header name"));
    }
}
