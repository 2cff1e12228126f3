using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Ollama.Tests;

/// <summary>The body and headers of <c>POST /api/chat</c>.</summary>
public sealed class OllamaProviderRequestTests : OllamaProviderTestBase
{
    private static JsonElement Schema(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Test]
    public async Task Plain_call_sends_stream_false_explicitly_to_api_chat()
    {
        var body = await SentBody(Ask());
        Assert.That(Handler.LastRequest.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(Handler.LastRequest.Uri, Is.EqualTo(new Uri("http://localhost:11434/api/chat")));
        Assert.That(body.GetProperty("stream").ValueKind, Is.EqualTo(JsonValueKind.False));
        Assert.That(body.GetProperty("model").GetString(), Is.EqualTo(Model));
        Assert.That(Handler.LastRequest.Header("Accept"), Is.EqualTo("application/json"));
    }

    [Test]
    public async Task Stream_sends_stream_true_and_accepts_ndjson()
    {
        var body = await SentBody(Ask(), stream: true);
        Assert.That(body.GetProperty("stream").GetBoolean(), Is.True);
        Assert.That(Handler.LastRequest.Header("Accept"), Is.EqualTo("application/x-ndjson"));
    }

    [Test]
    public async Task Sampling_parameters_go_under_options_with_ollama_names()
    {
        var request = Ask();
        request.Temperature = 0.25f;
        request.TopP = 0.5f;
        request.TopK = 40;
        request.MaxOutputTokens = 256;
        request.StopSequences = ["END", "STOP"];
        request.Seed = 101;
        var body = await SentBody(request, CreateProvider(o => o.ContextLength = 8192));

        var options = body.GetProperty("options");
        Assert.Multiple(() =>
        {
            Assert.That(options.GetProperty("temperature").GetDouble(), Is.EqualTo(0.25).Within(1e-6));
            Assert.That(options.GetProperty("top_p").GetDouble(), Is.EqualTo(0.5).Within(1e-6));
            Assert.That(options.GetProperty("top_k").GetInt32(), Is.EqualTo(40));
            Assert.That(options.GetProperty("num_predict").GetInt32(), Is.EqualTo(256));
            Assert.That(options.GetProperty("stop").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "END", "STOP" }));
            Assert.That(options.GetProperty("seed").GetInt64(), Is.EqualTo(101));
            Assert.That(options.GetProperty("num_ctx").GetInt32(), Is.EqualTo(8192));
            Assert.That(body.TryGetProperty("temperature", out _), Is.False, "Sampling parameters are not top-level in Ollama.");
            Assert.That(body.TryGetProperty("max_tokens", out _), Is.False);
        });
    }

    [Test]
    public async Task No_options_object_is_sent_when_nothing_is_set()
    {
        var body = await SentBody(Ask());
        Assert.That(body.TryGetProperty("options", out _), Is.False);
        Assert.That(body.TryGetProperty("format", out _), Is.False);
        Assert.That(body.TryGetProperty("keep_alive", out _), Is.False);
        Assert.That(body.TryGetProperty("think", out _), Is.False);
    }

    [Test]
    public async Task Json_mode_sends_format_json()
    {
        var request = Ask();
        request.ResponseFormat = ChatResponseFormat.Json;
        var body = await SentBody(request);
        Assert.That(body.GetProperty("format").GetString(), Is.EqualTo("json"));
    }

    [Test]
    public async Task Json_schema_is_sent_as_the_format_object()
    {
        var request = Ask();
        request.ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema("""{"type":"object","properties":{"age":{"type":"integer"}},"required":["age"]}"""), "person");
        var body = await SentBody(request);
        var format = body.GetProperty("format");
        Assert.That(format.ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(format.GetProperty("properties").GetProperty("age").GetProperty("type").GetString(), Is.EqualTo("integer"));
    }

    [Test]
    public async Task Images_are_sent_as_base64_without_a_data_prefix()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, [new TextContent("What is in this image?"), new DataContent(png, "image/png")]),
        })
        { Model = Model };
        var body = await SentBody(request);
        var message = body.GetProperty("messages")[0];
        Assert.That(message.GetProperty("content").GetString(), Is.EqualTo("What is in this image?"));
        Assert.That(message.GetProperty("images").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { Convert.ToBase64String(png) }));
    }

    [Test]
    public async Task Image_url_is_refused_as_an_invalid_request_before_sending()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, [new TextContent("Describe"), new UriContent(new Uri("https://example.com/cat.png"), "image/png")]),
        })
        { Model = Model };
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponse(), request);
        Assert.That(ex.Message, Does.Contain("DataContent"));
        Assert.That(Handler.Requests, Is.Empty);
    }

    [Test]
    public async Task Tools_are_sent_as_function_definitions()
    {
        var request = Ask();
        request.Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", Schema("""{"type":"object","properties":{"city":{"type":"string"}}}"""))];
        var body = await SentBody(request);
        var tool = body.GetProperty("tools")[0];
        Assert.That(tool.GetProperty("type").GetString(), Is.EqualTo("function"));
        Assert.That(tool.GetProperty("function").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
        Assert.That(tool.GetProperty("function").GetProperty("description").GetString(), Is.EqualTo("Gets the weather."));
        Assert.That(tool.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("city").GetProperty("type").GetString(), Is.EqualTo("string"));
        Assert.That(body.TryGetProperty("tool_choice", out _), Is.False, "Ollama has no tool_choice.");
    }

    [Test]
    public async Task Tool_history_sends_arguments_as_objects_and_results_with_the_tool_name()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, "Weather in Tokyo?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_0", "get_weather", new Dictionary<string, object?> { ["city"] = "Tokyo" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_0", "18C")]),
        })
        { Model = Model };
        var body = await SentBody(request);
        var messages = body.GetProperty("messages");
        Assert.That(messages.GetArrayLength(), Is.EqualTo(3));
        var call = messages[1].GetProperty("tool_calls")[0].GetProperty("function");
        Assert.That(call.GetProperty("name").GetString(), Is.EqualTo("get_weather"));
        Assert.That(call.GetProperty("arguments").ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(call.GetProperty("arguments").GetProperty("city").GetString(), Is.EqualTo("Tokyo"));
        Assert.That(messages[2].GetProperty("role").GetString(), Is.EqualTo("tool"));
        Assert.That(messages[2].GetProperty("content").GetString(), Is.EqualTo("18C"));
        Assert.That(messages[2].GetProperty("tool_name").GetString(), Is.EqualTo("get_weather"));
        Assert.That(messages[2].GetProperty("tool_call_id").GetString(), Is.EqualTo("call_0"));
    }

    [Test]
    public async Task Tool_mode_none_sends_no_tools()
    {
        var request = Ask();
        request.Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", Schema("""{"type":"object"}"""))];
        request.ToolMode = ChatToolMode.None;
        var body = await SentBody(request);
        Assert.That(body.TryGetProperty("tools", out _), Is.False);
    }

    [Test]
    public async Task Non_image_files_are_refused_as_an_invalid_request()
    {
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "application/pdf")]) }) { Model = Model };
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponse(), request);
        Assert.That(ex.Message, Does.Contain("application/pdf"));
        Assert.That(Handler.Requests, Is.Empty);
    }

    [Test]
    public async Task System_prompt_is_a_system_message()
    {
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi") }) { Model = Model };
        var body = await SentBody(request);
        Assert.That(body.GetProperty("messages")[0].GetProperty("role").GetString(), Is.EqualTo("system"));
        Assert.That(body.GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo("Be brief."));
    }

    [TestCase(600, 600L)]
    [TestCase(0, 0L)]
    [TestCase(-1, -1L)]
    public async Task Keep_alive_option_is_sent_in_seconds(int seconds, long expected)
    {
        var body = await SentBody(Ask(), CreateProvider(o => o.KeepAlive = TimeSpan.FromSeconds(seconds)));
        Assert.That(body.GetProperty("keep_alive").GetInt64(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Keep_alive_of_the_request_wins_over_the_option()
    {
        var request = Ask();
        request.AdditionalRequestFields = new Dictionary<string, JsonElement> { ["keep_alive"] = JsonDocument.Parse("\"10m\"").RootElement.Clone() };
        var body = await SentBody(request, CreateProvider(o => o.KeepAlive = TimeSpan.FromMinutes(1)));
        Assert.That(body.GetProperty("keep_alive").GetString(), Is.EqualTo("10m"));
        Assert.That(Handler.LastRequest.BodyText.Split("keep_alive").Length, Is.EqualTo(2), "keep_alive is written once.");
    }

    [TestCase(ReasoningEffort.Medium, true)]
    [TestCase(ReasoningEffort.High, true)]
    [TestCase(ReasoningEffort.None, false)]
    public async Task Reasoning_effort_sends_think(ReasoningEffort effort, bool think)
    {
        var request = Ask();
        request.ReasoningEffort = effort;
        var body = await SentBody(request);
        Assert.That(body.GetProperty("think").GetBoolean(), Is.EqualTo(think));
    }

    [Test]
    public async Task No_authorization_header_is_sent_without_a_key()
    {
        await SentBody(Ask());
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.Null);
    }

    [Test]
    public async Task A_key_is_sent_as_a_bearer_token()
    {
        await SentBody(Ask(), CreateProvider(o => o.ApiKey = "ollama-cloud-key-123"));
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.EqualTo("Bearer ollama-cloud-key-123"));
    }

    [Test]
    public async Task Request_without_a_model_uses_the_default_model()
    {
        var body = await SentBody(Ask(model: null), CreateProvider(o => o.DefaultModel = "qwen3:8b"));
        Assert.That(body.GetProperty("model").GetString(), Is.EqualTo("qwen3:8b"));
    }

    private static Testing.Http.CannedResponse CannedResponse() => Testing.Http.CannedResponse.Json(OllamaWire.Chat("unused"));
}
