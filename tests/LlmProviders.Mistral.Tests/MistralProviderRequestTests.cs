using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Mistral.Tests;

/// <summary>What the provider puts on the wire: Mistral's own request body (strict: no field it does not know).</summary>
public sealed class MistralProviderRequestTests : MistralProviderTestBase
{
    private static readonly CannedResponse Ok = CannedResponse.Json(MistralWire.Completion("ok"));

    private static readonly CannedResponse OkStream = CannedResponse.EventStream(MistralWire.Sse([MistralWire.RoleChunk(), MistralWire.TextChunk("ok"), MistralWire.FinishChunk()]));

    // Every top-level field Mistral's chat completions accept (anything else is 422 extra_forbidden).
    private static readonly HashSet<string> MistralFields =
    [
        "model", "messages", "temperature", "top_p", "max_tokens", "stream", "stop", "random_seed", "response_format", "tools",
        "tool_choice", "parallel_tool_calls", "presence_penalty", "frequency_penalty", "n", "safe_prompt", "prediction", "prompt_mode",
    ];

    private async Task<JsonElement> SendAsync(ChatRequest request, MistralProvider? provider = null)
    {
        await ChatAsync(Ok, request, provider);
        return Handler.LastRequest.Json();
    }

    private static JsonElement Schema(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static ChatRequest Everything()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.System, "Be brief.") { AuthorName = "ops" },
            new(ChatRole.User, "Weather in Paris?") { AuthorName = "alice" },
            new(ChatRole.Assistant, [new TextReasoningContent("The user wants weather."), new FunctionCallContent("gSIMJiOkT", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("gSIMJiOkT", "18°C")]),
        })
        {
            Model = "magistral-medium-latest",
            Temperature = 0.3f,
            TopP = 0.9f,
            TopK = 40,
            MaxOutputTokens = 256,
            Seed = 42,
            PresencePenalty = 0.1f,
            FrequencyPenalty = 0.2f,
            StopSequences = ["END"],
            ReasoningEffort = ReasoningEffort.High,
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", Schema("""{"type":"object","properties":{"city":{"type":"string"}}}"""))],
            ToolMode = ChatToolMode.Auto,
            AllowParallelToolCalls = true,
            ResponseFormat = ChatResponseFormat.Json,
        };
        return request;
    }

    [Test]
    public async Task Chat_posts_to_mistral_chat_completions_with_bearer_key_and_json_accept()
    {
        await ChatAsync(Ok);
        var request = Handler.LastRequest;
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri("https://api.mistral.ai/v1/chat/completions")));
        Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer " + Key));
        Assert.That(request.Header("Accept"), Is.EqualTo("application/json"));
        Assert.That(request.BodyText, Is.EqualTo("""{"model":"mistral-small-latest","messages":[{"role":"user","content":"Say hello."}]}"""));
    }

    [Test]
    public async Task Request_without_model_uses_mistral_small_latest()
    {
        var json = await SendAsync(Ask(model: null));
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo(MistralProviderOptions.FallbackModel));
        Assert.That(MistralProviderOptions.FallbackModel, Is.EqualTo("mistral-small-latest"));
    }

    [Test]
    public async Task Default_model_option_is_used_when_the_request_names_none()
    {
        var json = await SendAsync(Ask(model: null), CreateProvider(o => o.DefaultModel = "mistral-large-latest"));
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo("mistral-large-latest"));
    }

    // Edge case #32: strict server, no unknown field (stream_options, max_completion_tokens, store, reasoning_content, reasoning_effort, name, seed, top_k).
    [Test]
    public async Task Body_with_every_option_carries_only_fields_mistral_accepts()
    {
        var json = await SendAsync(Everything());

        var fields = json.EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(fields, Is.SubsetOf(MistralFields), "Mistral answers 422 extra_forbidden to any other field.");
        Assert.That(fields, Does.Not.Contain("max_completion_tokens"));
        Assert.That(fields, Does.Not.Contain("seed"));
        Assert.That(fields, Does.Not.Contain("reasoning_effort"));
        Assert.That(fields, Does.Not.Contain("store"));
        Assert.That(fields, Does.Not.Contain("top_k"));
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.EqualTo(256));
        Assert.That(json.GetProperty("random_seed").GetInt64(), Is.EqualTo(42));
        Assert.That(json.GetProperty("tool_choice").GetString(), Is.EqualTo("auto"));
        Assert.That(json.GetProperty("parallel_tool_calls").GetBoolean(), Is.True);
        Assert.That(json.GetProperty("response_format").GetProperty("type").GetString(), Is.EqualTo("json_object"));
    }

    // Edge case #32: messages are validated strictly too.
    [Test]
    public async Task Messages_carry_no_name_no_reasoning_and_no_developer_role()
    {
        var json = await SendAsync(Everything());
        var messages = json.GetProperty("messages").EnumerateArray().ToList();

        Assert.That(messages.Select(m => m.GetProperty("role").GetString()), Is.EqualTo(new[] { "system", "user", "assistant", "tool" }));
        foreach (var message in messages)
        {
            Assert.That(message.TryGetProperty("reasoning_content", out _), Is.False);
            Assert.That(message.TryGetProperty("reasoning", out _), Is.False);
            Assert.That(message.TryGetProperty("name", out _), Is.False, "Mistral's user/system/assistant messages have no 'name' field.");
        }

        var call = messages[2].GetProperty("tool_calls")[0];
        Assert.That(call.GetProperty("id").GetString(), Is.EqualTo("gSIMJiOkT"));
        Assert.That(call.GetProperty("function").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
        Assert.That(messages[3].GetProperty("tool_call_id").GetString(), Is.EqualTo("gSIMJiOkT"));
        Assert.That(messages[3].GetProperty("content").GetString(), Is.EqualTo("18°C"));
    }

    [Test]
    public async Task Foreign_tool_call_ids_are_sent_as_nine_alphanumerics_the_same_for_call_and_result()
    {
        // A conversation begun on OpenAI (a fail-over): Mistral answers 400 to ids that are not nine letters or digits.
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, "Weather in Paris and Rome?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_Xy12abCDefGH34ij", "get_weather"), new FunctionCallContent("call_Zz98", "get_weather"), new FunctionCallContent("gSIMJiOkT", "get_time")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_Xy12abCDefGH34ij", "18°C"), new FunctionResultContent("call_Zz98", "21°C"), new FunctionResultContent("gSIMJiOkT", "12:00")]),
        });

        var messages = (await SendAsync(request)).GetProperty("messages").EnumerateArray().ToList();

        var sent = messages[1].GetProperty("tool_calls").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        var answered = messages.Skip(2).Select(m => m.GetProperty("tool_call_id").GetString()!).ToList();
        Assert.That(answered, Is.EqualTo(sent), "each result keeps the id of its call");
        Assert.That(sent, Is.Unique);
        Assert.That(sent, Has.All.Matches<string>(id => id.Length == 9 && id.All(char.IsAsciiLetterOrDigit)));
        Assert.That(sent[2], Is.EqualTo("gSIMJiOkT"), "Mistral's own ids pass unchanged");

        var again = (await SendAsync(request)).GetProperty("messages")[1].GetProperty("tool_calls")[0].GetProperty("id").GetString();
        Assert.That(again, Is.EqualTo(sent[0]), "the mapping is stable across calls");
        Assert.That(request.Messages[1].Contents.OfType<FunctionCallContent>().First().CallId, Is.EqualTo("call_Xy12abCDefGH34ij"), "the conversation is not changed");
    }

    [Test]
    public async Task System_message_keeps_the_system_role_for_every_model()
    {
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi") }) { Model = "o3-lookalike" };
        var json = await SendAsync(request);
        Assert.That(json.GetProperty("messages")[0].GetProperty("role").GetString(), Is.EqualTo("system"));
    }

    // Edge cases #7/#8: Mistral rejects stream_options (422) and sends usage in the finish chunk anyway.
    [Test]
    public async Task Stream_request_sends_stream_true_without_stream_options()
    {
        await StreamAsync(OkStream);
        var request = Handler.LastRequest;
        Assert.That(request.Header("Accept"), Is.EqualTo("text/event-stream"));
        Assert.That(request.BodyText, Is.EqualTo("""{"model":"mistral-small-latest","messages":[{"role":"user","content":"Say hello."}],"stream":true}"""));
    }

    [Test]
    public async Task Max_output_tokens_is_sent_as_max_tokens_when_streaming_too()
    {
        var request = Ask();
        request.MaxOutputTokens = 64;
        await StreamAsync(OkStream, request);
        var json = Handler.LastRequest.Json();
        Assert.That(json.GetProperty("max_tokens").GetInt32(), Is.EqualTo(64));
        Assert.That(json.TryGetProperty("max_completion_tokens", out _), Is.False);
        Assert.That(json.TryGetProperty("stream_options", out _), Is.False);
    }

    [Test]
    public async Task Safe_prompt_is_sent_only_when_enabled()
    {
        var off = await SendAsync(Ask());
        Assert.That(off.TryGetProperty("safe_prompt", out _), Is.False);

        var on = await SendAsync(Ask(), CreateProvider(o => o.SafePrompt = true));
        Assert.That(on.GetProperty("safe_prompt").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Request_field_safe_prompt_replaces_the_option()
    {
        var request = Ask();
        request.AdditionalRequestFields = new Dictionary<string, JsonElement> { ["safe_prompt"] = Schema("false") };
        var json = await SendAsync(request, CreateProvider(o => o.SafePrompt = true));
        Assert.That(Handler.LastRequest.BodyText.Split("safe_prompt").Length - 1, Is.EqualTo(1));
        Assert.That(json.GetProperty("safe_prompt").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Additional_fields_such_as_prompt_mode_pass_through()
    {
        var request = Ask(model: "magistral-small-latest");
        request.AdditionalRequestFields = new Dictionary<string, JsonElement> { ["prompt_mode"] = Schema("null") };
        var json = await SendAsync(request);
        Assert.That(json.GetProperty("prompt_mode").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Seed_is_sent_as_random_seed()
    {
        var request = Ask();
        request.Seed = 2039908639335532000;
        var json = await SendAsync(request);
        Assert.That(json.GetProperty("random_seed").GetInt64(), Is.EqualTo(2039908639335532000));
        Assert.That(json.TryGetProperty("seed", out _), Is.False);
    }

    private static IEnumerable<TestCaseData> ToolModes()
    {
        yield return new TestCaseData(ChatToolMode.Auto, "\"auto\"").SetName("Tool_mode_Auto_is_sent_as_auto");
        yield return new TestCaseData(ChatToolMode.None, "\"none\"").SetName("Tool_mode_None_is_sent_as_none");
        yield return new TestCaseData(ChatToolMode.RequireAny, "\"required\"").SetName("Tool_mode_RequireAny_is_sent_as_required");
        yield return new TestCaseData(ChatToolMode.RequireSpecific("get_weather"), "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}").SetName("Tool_mode_RequireSpecific_names_the_function");
    }

    [TestCaseSource(nameof(ToolModes))]
    public async Task Tool_mode_is_sent_as_tool_choice(ChatToolMode mode, string expected)
    {
        var request = Ask();
        request.Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", Schema("""{"type":"object","properties":{}}"""))];
        request.ToolMode = mode;
        var json = await SendAsync(request);
        Assert.That(json.GetProperty("tool_choice").GetRawText(), Is.EqualTo(expected));
        Assert.That(json.GetProperty("tools")[0].GetProperty("type").GetString(), Is.EqualTo("function"));
        Assert.That(json.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
    }

    [Test]
    public async Task Json_schema_response_format_is_sent_with_name_schema_and_strict()
    {
        var request = Ask();
        request.ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema("""{"type":"object","properties":{"answer":{"type":"string"}}}"""), "answer_schema", "The answer.");
        var json = await SendAsync(request);
        var format = json.GetProperty("response_format");
        Assert.That(format.GetProperty("type").GetString(), Is.EqualTo("json_schema"));
        var schema = format.GetProperty("json_schema");
        Assert.That(schema.GetProperty("name").GetString(), Is.EqualTo("answer_schema"));
        Assert.That(schema.GetProperty("description").GetString(), Is.EqualTo("The answer."));
        Assert.That(schema.GetProperty("schema").GetProperty("properties").GetProperty("answer").GetProperty("type").GetString(), Is.EqualTo("string"));
        Assert.That(schema.GetProperty("strict").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Image_is_sent_as_an_image_url_part_of_the_user_message()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, [new TextContent("What is this?"), new UriContent(new Uri("https://example.com/cat.png"), "image/png")]),
        }) { Model = "pixtral-12b-latest" };
        var json = await SendAsync(request);
        var parts = json.GetProperty("messages")[0].GetProperty("content");
        Assert.That(parts[0].GetProperty("type").GetString(), Is.EqualTo("text"));
        Assert.That(parts[1].GetProperty("type").GetString(), Is.EqualTo("image_url"));
        Assert.That(parts[1].GetProperty("image_url").GetProperty("url").GetString(), Is.EqualTo("https://example.com/cat.png"));
    }

    [Test]
    public async Task Codestral_base_url_is_used_for_chat()
    {
        await ChatAsync(Ok, provider: CreateProvider(o => o.BaseUrl = MistralProviderOptions.CodestralBaseUrl));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("https://codestral.mistral.ai/v1/chat/completions")));
    }

    [Test]
    public async Task The_callers_request_is_not_changed()
    {
        var request = Everything();
        var before = request.Messages.Count;
        await SendAsync(request);
        Assert.That(request.Messages, Has.Count.EqualTo(before));
        Assert.That(request.MaxOutputTokens, Is.EqualTo(256));
        Assert.That(request.AdditionalRequestFields, Is.Null);
    }
}
