using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Anthropic.Tests;

/// <summary>The request the provider writes: system top-level, max_tokens always, headers, content blocks, tools, thinking, cache_control.</summary>
public sealed class AnthropicProviderRequestTests : AnthropicProviderTestBase
{
    private static readonly JsonElement WeatherSchema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement;

    [Test]
    public async Task System_messages_become_the_top_level_system_field_not_a_message()
    {
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi") }) { Model = "claude-3-5-haiku-latest" };
        var json = await SentJsonAsync(request);

        Assert.That(json.GetProperty("system").GetString(), Is.EqualTo("Be brief."));
        var messages = json.GetProperty("messages");
        Assert.That(messages.GetArrayLength(), Is.EqualTo(1));
        Assert.That(messages[0].GetProperty("role").GetString(), Is.EqualTo("user"));
        Assert.That(messages[0].GetProperty("content").GetString(), Is.EqualTo("Hi"));
    }

    [Test]
    public async Task Several_system_messages_become_system_text_blocks_in_order()
    {
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.System, "One."), new(ChatRole.User, "Hi"), new(ChatRole.System, "Two.") });
        var json = await SentJsonAsync(request);
        Assert.That(json.GetProperty("system").EnumerateArray().Select(b => b.GetProperty("text").GetString()), Is.EqualTo(new[] { "One.", "Two." }));
        Assert.That(json.GetProperty("messages").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task No_system_field_is_sent_without_system_messages()
    {
        var json = await SentJsonAsync(Ask());
        Assert.That(json.TryGetProperty("system", out _), Is.False);
    }

    [Test]
    public async Task Max_tokens_comes_from_the_request_first()
    {
        var request = Ask(model: "claude-3-haiku-20240307");
        request.MaxOutputTokens = 321;
        Assert.That((await SentJsonAsync(request)).GetProperty("max_tokens").GetInt32(), Is.EqualTo(321));
    }

    [TestCase("claude-3-haiku-20240307", 4096)]
    [TestCase("claude-3-opus-20240229", 4096)]
    [TestCase("claude-3-5-sonnet-20241022", 8192)]
    [TestCase("claude-3-5-haiku-latest", 8192)]
    [TestCase("claude-3-7-sonnet-20250219", 64000)]
    [TestCase("claude-opus-4-20250514", 32000)]
    [TestCase("claude-opus-4-1-20250805", 32000)]
    [TestCase("claude-opus-4-5-20251101", 64000)]
    [TestCase("claude-sonnet-4-5-20250929", 64000)]
    [TestCase("claude-haiku-4-5", 64000)]
    public async Task Max_tokens_falls_back_to_the_known_limit_of_the_model_family(string model, int expected)
    {
        Assert.That((await SentJsonAsync(Ask(model: model))).GetProperty("max_tokens").GetInt32(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Max_tokens_falls_back_to_the_option_for_an_unknown_model()
    {
        var provider = CreateProvider(o => o.DefaultMaxTokens = 777);
        Assert.That((await SentJsonAsync(Ask(model: "claude-future-9"), provider)).GetProperty("max_tokens").GetInt32(), Is.EqualTo(777));
    }

    [Test]
    public async Task Headers_carry_the_key_the_version_and_the_beta_list()
    {
        var provider = CreateProvider(o =>
        {
            o.Version = "2099-01-01";
            o.Beta.Add("prompt-caching-2024-07-31");
            o.Beta.Add(" context-management-2025-06-27 ");
        });
        await SentJsonAsync(Ask(), provider);
        var sent = Handler.LastRequest;
        Assert.Multiple(() =>
        {
            Assert.That(sent.Header("x-api-key"), Is.EqualTo(Key));
            Assert.That(sent.Header("anthropic-version"), Is.EqualTo("2099-01-01"));
            Assert.That(sent.Header("anthropic-beta"), Is.EqualTo("prompt-caching-2024-07-31,context-management-2025-06-27"));
            Assert.That(sent.Header("Authorization"), Is.Null);
        });
    }

    [Test]
    public async Task No_beta_header_is_sent_by_default()
    {
        await SentJsonAsync(Ask());
        Assert.That(Handler.LastRequest.Header("anthropic-beta"), Is.Null);
        Assert.That(Handler.LastRequest.Header("anthropic-version"), Is.EqualTo("2023-06-01"));
    }

    [Test]
    public async Task A_base_url_ending_in_v1_is_not_doubled()
    {
        var provider = CreateProvider(o => o.BaseUrl = new Uri("https://gateway.example/anthropic/v1/"));
        await SentJsonAsync(Ask(), provider);
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://gateway.example/anthropic/v1/messages")));
    }

    [Test]
    public async Task Images_are_sent_as_base64_and_url_blocks()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];
        var message = new ChatMessage(ChatRole.User, [
            new TextContent("What is in these?"),
            new DataContent(png, "image/png"),
            new UriContent(new Uri("https://example.com/cat.jpg"), "image/jpeg"),
        ]);
        var json = await SentJsonAsync(new ChatRequest([message]));
        var blocks = json.GetProperty("messages")[0].GetProperty("content");

        Assert.That(blocks[0].GetProperty("type").GetString(), Is.EqualTo("text"));
        var base64 = blocks[1];
        Assert.That(base64.GetProperty("type").GetString(), Is.EqualTo("image"));
        Assert.That(base64.GetProperty("source").GetProperty("type").GetString(), Is.EqualTo("base64"));
        Assert.That(base64.GetProperty("source").GetProperty("media_type").GetString(), Is.EqualTo("image/png"));
        Assert.That(base64.GetProperty("source").GetProperty("data").GetString(), Is.EqualTo(Convert.ToBase64String(png)));
        var url = blocks[2];
        Assert.That(url.GetProperty("type").GetString(), Is.EqualTo("image"));
        Assert.That(url.GetProperty("source").GetProperty("type").GetString(), Is.EqualTo("url"));
        Assert.That(url.GetProperty("source").GetProperty("url").GetString(), Is.EqualTo("https://example.com/cat.jpg"));
    }

    [Test]
    public async Task A_pdf_is_sent_as_a_document_block()
    {
        var message = new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 37, 80, 68, 70 }, "application/pdf"), new TextContent("Summarize.")]);
        var json = await SentJsonAsync(new ChatRequest([message]));
        var block = json.GetProperty("messages")[0].GetProperty("content")[0];
        Assert.That(block.GetProperty("type").GetString(), Is.EqualTo("document"));
        Assert.That(block.GetProperty("source").GetProperty("media_type").GetString(), Is.EqualTo("application/pdf"));
    }

    [Test]
    public async Task Unsupported_media_is_an_invalid_request_before_sending()
    {
        var message = new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "audio/wav")]);
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponseFor.Ok, new ChatRequest([message]));
        Assert.That(ex.Message, Does.Contain("audio/wav"));
        Assert.That(Handler.Requests, Is.Empty);
    }

    [Test]
    public async Task Tool_calls_and_results_become_tool_use_and_tool_result_blocks()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, "Weather in Paris and Rome?"),
            new(ChatRole.Assistant, [
                new TextContent("Checking."),
                new FunctionCallContent("toolu_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }),
                new FunctionCallContent("toolu_2", "get_weather", new Dictionary<string, object?> { ["city"] = "Rome" }),
            ]),
            new(ChatRole.Tool, [
                new FunctionResultContent("toolu_1", "18°C"),
                new FunctionResultContent("toolu_2", null) { Exception = new InvalidOperationException("station offline") },
            ]),
        });
        var json = await SentJsonAsync(request);
        var messages = json.GetProperty("messages");

        var assistant = messages[1];
        Assert.That(assistant.GetProperty("role").GetString(), Is.EqualTo("assistant"));
        var use = assistant.GetProperty("content")[1];
        Assert.That(use.GetProperty("type").GetString(), Is.EqualTo("tool_use"));
        Assert.That(use.GetProperty("id").GetString(), Is.EqualTo("toolu_1"));
        Assert.That(use.GetProperty("input").GetProperty("city").GetString(), Is.EqualTo("Paris"));

        var results = messages[2];
        Assert.That(results.GetProperty("role").GetString(), Is.EqualTo("user"), "Anthropic has no tool role: results go in a user message.");
        var ok = results.GetProperty("content")[0];
        Assert.That(ok.GetProperty("type").GetString(), Is.EqualTo("tool_result"));
        Assert.That(ok.GetProperty("tool_use_id").GetString(), Is.EqualTo("toolu_1"));
        Assert.That(ok.GetProperty("content").GetString(), Is.EqualTo("18°C"));
        Assert.That(ok.TryGetProperty("is_error", out _), Is.False);
        var failed = results.GetProperty("content")[1];
        Assert.That(failed.GetProperty("is_error").GetBoolean(), Is.True);
        Assert.That(failed.GetProperty("content").GetString(), Does.Contain("station offline"));
    }

    [Test]
    public async Task Tools_are_sent_with_input_schema_and_tool_choice_is_mapped()
    {
        var request = Ask();
        request.Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", WeatherSchema)];
        request.ToolMode = ChatToolMode.RequireSpecific("get_weather");
        request.AllowParallelToolCalls = false;
        var json = await SentJsonAsync(request);

        var tool = json.GetProperty("tools")[0];
        Assert.That(tool.GetProperty("name").GetString(), Is.EqualTo("get_weather"));
        Assert.That(tool.TryGetProperty("type", out _), Is.False, "No OpenAI-style function wrapper.");
        Assert.That(tool.GetProperty("input_schema").GetProperty("required")[0].GetString(), Is.EqualTo("city"));
        var choice = json.GetProperty("tool_choice");
        Assert.That(choice.GetProperty("type").GetString(), Is.EqualTo("tool"));
        Assert.That(choice.GetProperty("name").GetString(), Is.EqualTo("get_weather"));
        Assert.That(choice.GetProperty("disable_parallel_tool_use").GetBoolean(), Is.True);
    }

    [TestCase("auto", "auto")]
    [TestCase("any", "any")]
    [TestCase("none", "none")]
    public async Task Tool_modes_map_to_anthropic_tool_choice(string mode, string expected)
    {
        var request = Ask();
        request.Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", WeatherSchema)];
        request.ToolMode = mode switch { "auto" => ChatToolMode.Auto, "any" => ChatToolMode.RequireAny, _ => ChatToolMode.None };
        var json = await SentJsonAsync(request);
        Assert.That(json.GetProperty("tool_choice").GetProperty("type").GetString(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Sampling_fields_use_anthropic_names_and_unsupported_ones_are_not_sent()
    {
        var request = Ask();
        request.Temperature = 0.5f;
        request.TopP = 0.9f;
        request.TopK = 40;
        request.StopSequences = ["END"];
        request.Seed = 7;
        request.PresencePenalty = 0.1f;
        var json = await SentJsonAsync(request);
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("temperature").GetSingle(), Is.EqualTo(0.5f));
            Assert.That(json.GetProperty("top_p").GetSingle(), Is.EqualTo(0.9f));
            Assert.That(json.GetProperty("top_k").GetInt32(), Is.EqualTo(40));
            Assert.That(json.GetProperty("stop_sequences")[0].GetString(), Is.EqualTo("END"));
            Assert.That(json.TryGetProperty("stop", out _), Is.False);
            Assert.That(json.TryGetProperty("seed", out _), Is.False);
            Assert.That(json.TryGetProperty("presence_penalty", out _), Is.False);
        });
    }

    [TestCase(ReasoningEffort.Low, 1024)]
    [TestCase(ReasoningEffort.Medium, 4096)]
    [TestCase(ReasoningEffort.High, 16384)]
    public async Task Reasoning_effort_enables_thinking_with_a_budget(ReasoningEffort effort, int budget)
    {
        var request = Ask(model: "claude-sonnet-4-5");
        request.ReasoningEffort = effort;
        var json = await SentJsonAsync(request);
        var thinking = json.GetProperty("thinking");
        Assert.That(thinking.GetProperty("type").GetString(), Is.EqualTo("enabled"));
        Assert.That(thinking.GetProperty("budget_tokens").GetInt32(), Is.EqualTo(budget));
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.GreaterThan(budget));
    }

    [Test]
    public async Task Reasoning_effort_none_sends_no_thinking()
    {
        var request = Ask();
        request.ReasoningEffort = ReasoningEffort.None;
        Assert.That((await SentJsonAsync(request)).TryGetProperty("thinking", out _), Is.False);
    }

    [Test]
    public async Task The_thinking_budget_stays_below_a_small_explicit_max_tokens()
    {
        var request = Ask();
        request.ReasoningEffort = ReasoningEffort.High;
        request.MaxOutputTokens = 2000;
        var json = await SentJsonAsync(request);
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.EqualTo(2000));
        Assert.That(json.GetProperty("thinking").GetProperty("budget_tokens").GetInt32(), Is.EqualTo(1999));
    }

    [Test]
    public async Task The_thinking_budget_raises_a_default_max_tokens_below_it()
    {
        var request = Ask(model: "claude-3-7-sonnet-latest-unknown-family");
        request.Model = "claude-future";
        request.ReasoningEffort = ReasoningEffort.High;
        var json = await SentJsonAsync(request);
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.EqualTo(16384 + 4096));
    }

    [Test]
    public async Task Thinking_with_a_signature_is_sent_back_and_redacted_thinking_opaquely()
    {
        var redacted = new TextReasoningContent(string.Empty) { ProtectedData = "opaque-data" };
        redacted.AdditionalProperties = new AdditionalPropertiesDictionary { ["anthropic.redacted_thinking"] = true };
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, "Compute."),
            new(ChatRole.Assistant, [
                new TextReasoningContent("I think.") { ProtectedData = "sig-123" },
                redacted,
                new TextReasoningContent("No signature: dropped."),
                new TextContent("925"),
            ]),
            new(ChatRole.User, "Divide by 5."),
        });
        var json = await SentJsonAsync(request);
        var blocks = json.GetProperty("messages")[1].GetProperty("content");

        Assert.That(blocks.GetArrayLength(), Is.EqualTo(3));
        Assert.That(blocks[0].GetProperty("type").GetString(), Is.EqualTo("thinking"));
        Assert.That(blocks[0].GetProperty("thinking").GetString(), Is.EqualTo("I think."));
        Assert.That(blocks[0].GetProperty("signature").GetString(), Is.EqualTo("sig-123"));
        Assert.That(blocks[1].GetProperty("type").GetString(), Is.EqualTo("redacted_thinking"));
        Assert.That(blocks[1].GetProperty("data").GetString(), Is.EqualTo("opaque-data"));
        Assert.That(blocks[2].GetProperty("type").GetString(), Is.EqualTo("text"));
    }

    [Test]
    public async Task A_marked_message_gets_cache_control_on_its_last_block()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new ChatMessage(ChatRole.User, [new TextContent("Long document…"), new TextContent("Question")]).WithAnthropicCacheBreakpoint(),
            new(ChatRole.Assistant, "Answer"),
            new(ChatRole.User, "Follow-up"),
        });
        var json = await SentJsonAsync(request);
        var first = json.GetProperty("messages")[0].GetProperty("content");
        Assert.That(first[0].TryGetProperty("cache_control", out _), Is.False);
        Assert.That(first[1].GetProperty("cache_control").GetProperty("type").GetString(), Is.EqualTo("ephemeral"));
        Assert.That(json.GetProperty("messages")[2].GetProperty("content").ValueKind, Is.EqualTo(JsonValueKind.String), "Unmarked messages stay plain strings.");
    }

    [Test]
    public async Task A_marked_content_block_gets_cache_control_with_its_ttl()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, [new TextContent("Big context").WithAnthropicCacheBreakpoint("1h"), new TextContent("Question")]),
        });
        var json = await SentJsonAsync(request);
        var cache = json.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("cache_control");
        Assert.That(cache.GetProperty("type").GetString(), Is.EqualTo("ephemeral"));
        Assert.That(cache.GetProperty("ttl").GetString(), Is.EqualTo("1h"));
    }

    [Test]
    public async Task A_marked_system_message_becomes_a_cached_system_block()
    {
        var request = new ChatRequest(new List<ChatMessage> { new ChatMessage(ChatRole.System, "Big instructions").WithAnthropicCacheBreakpoint(), new(ChatRole.User, "Hi") });
        var json = await SentJsonAsync(request);
        var system = json.GetProperty("system");
        Assert.That(system.ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(system[0].GetProperty("text").GetString(), Is.EqualTo("Big instructions"));
        Assert.That(system[0].GetProperty("cache_control").GetProperty("type").GetString(), Is.EqualTo("ephemeral"));
    }

    [Test]
    public async Task The_cache_options_mark_the_system_prompt_and_the_last_tool()
    {
        var provider = CreateProvider(o =>
        {
            o.CacheSystemPrompt = true;
            o.CacheTools = true;
        });
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.System, "Rules"), new(ChatRole.User, "Hi") })
        {
            Tools =
            [
                AIFunctionFactory.CreateDeclaration("a", "A.", WeatherSchema),
                AIFunctionFactory.CreateDeclaration("b", "B.", WeatherSchema),
            ],
        };
        var json = await SentJsonAsync(request, provider);
        Assert.That(json.GetProperty("system")[0].GetProperty("cache_control").GetProperty("type").GetString(), Is.EqualTo("ephemeral"));
        Assert.That(json.GetProperty("tools")[0].TryGetProperty("cache_control", out _), Is.False);
        Assert.That(json.GetProperty("tools")[1].GetProperty("cache_control").GetProperty("type").GetString(), Is.EqualTo("ephemeral"));
    }

    [Test]
    public async Task Thinking_with_max_tokens_too_small_for_the_minimum_budget_is_an_invalid_request_before_sending()
    {
        var request = Ask();
        request.ReasoningEffort = ReasoningEffort.Low;
        request.MaxOutputTokens = 1000;
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponseFor.Ok, request);
        Assert.That(ex.Message, Does.Contain("MaxOutputTokens"));
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(Handler.Requests, Is.Empty);
    }

    [Test]
    public async Task A_tool_carrying_the_cache_mark_gets_cache_control()
    {
        var marked = AIFunctionFactory.Create(() => "x", new AIFunctionFactoryOptions
        {
            Name = "lookup",
            AdditionalProperties = new Dictionary<string, object?> { [AnthropicCacheControl.PropertyName] = true },
        });
        var request = Ask();
        request.Tools = [marked, AIFunctionFactory.CreateDeclaration("other", "Other.", WeatherSchema)];
        var json = await SentJsonAsync(request);
        Assert.That(json.GetProperty("tools")[0].GetProperty("cache_control").GetProperty("type").GetString(), Is.EqualTo("ephemeral"));
        Assert.That(json.GetProperty("tools")[1].TryGetProperty("cache_control", out _), Is.False);
    }

    [Test]
    public async Task Additional_request_fields_override_and_extend_the_body()
    {
        var request = Ask();
        request.AdditionalRequestFields = new Dictionary<string, JsonElement>
        {
            ["max_tokens"] = JsonDocument.Parse("99").RootElement,
            ["metadata"] = JsonDocument.Parse("""{"user_id":"u-1"}""").RootElement,
        };
        var json = await SentJsonAsync(request);
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.EqualTo(99));
        Assert.That(json.GetProperty("metadata").GetProperty("user_id").GetString(), Is.EqualTo("u-1"));
        Assert.That(json.EnumerateObject().Count(p => p.Name == "max_tokens"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_request_without_a_model_uses_the_default_model_option()
    {
        var provider = CreateProvider(o => o.DefaultModel = "claude-3-5-haiku-latest");
        var json = await SentJsonAsync(Ask(model: null), provider);
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo("claude-3-5-haiku-latest"));
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.EqualTo(8192));
    }
}

/// <summary>Canned responses shared by the tests.</summary>
internal static class CannedResponseFor
{
    public static LlmProviders.Testing.Http.CannedResponse Ok => LlmProviders.Testing.Http.CannedResponse.Json(AnthropicWire.TextMessage("ok"));
}
