using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;
using RichardSzalay.MockHttp;

namespace LlmProviders.OpenAI.Tests;

/// <summary>What the provider puts on the wire for a chat request.</summary>
public sealed class OpenAIProviderRequestTests : OpenAIProviderTestBase
{
    private static readonly CannedResponse Ok = CannedResponse.Json(OpenAIWire.Completion("ok"));

    private async Task<JsonElement> SendAsync(ChatRequest request, OpenAIProvider? provider = null)
    {
        await ChatAsync(Ok, request, provider);
        return Handler.LastRequest.Json();
    }

    private static JsonElement Schema(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Test]
    public async Task Chat_posts_model_and_messages_to_chat_completions_with_bearer_key()
    {
        using var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, "https://api.openai.com/v1/chat/completions")
            .WithHeaders("Authorization", "Bearer " + Key)
            .WithHeaders("Accept", "application/json")
            .WithPartialContent("\"model\":\"gpt-4o-mini\"")
            .WithPartialContent("\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]")
            .Respond("application/json", OpenAIWire.Completion("Hello!"));

        var result = await CreateProvider(handler: mock).ChatAsync(Ask());

        mock.VerifyNoOutstandingExpectation();
        Assert.That(result.Text, Is.EqualTo("Hello!"));
    }

    [Test]
    public async Task Organization_and_project_headers_are_sent_when_configured()
    {
        using var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, "https://api.openai.com/v1/chat/completions")
            .WithHeaders("OpenAI-Organization", "org-conformance")
            .WithHeaders("OpenAI-Project", "proj_conformance")
            .Respond("application/json", OpenAIWire.Completion("ok"));

        await CreateProvider(o => { o.Organization = "org-conformance"; o.Project = "proj_conformance"; }, handler: mock).ChatAsync(Ask());

        mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task Organization_and_project_headers_are_absent_by_default()
    {
        await ChatAsync(Ok);
        Assert.That(Handler.LastRequest.Header("OpenAI-Organization"), Is.Null);
        Assert.That(Handler.LastRequest.Header("OpenAI-Project"), Is.Null);
    }

    [Test]
    public async Task Base_url_override_is_used_for_chat_and_models_with_or_without_trailing_slash()
    {
        using var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, "http://localhost:8000/v1/chat/completions").Respond("application/json", OpenAIWire.Completion("ok"));
        mock.Expect(HttpMethod.Get, "http://localhost:8000/v1/models").Respond("application/json", OpenAIWire.Models("local-model"));

        var provider = CreateProvider(o => o.BaseUrl = new Uri("http://localhost:8000/v1/"), handler: mock);
        await provider.ChatAsync(Ask());
        var models = await provider.ListModelsAsync();

        mock.VerifyNoOutstandingExpectation();
        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "local-model" }));
    }

    [Test]
    public async Task Request_without_a_model_uses_the_configured_default_model()
    {
        var json = await SendAsync(Ask(model: null), CreateProvider(o => o.DefaultModel = "gpt-4.1-nano"));
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo("gpt-4.1-nano"));
    }

    [Test]
    public async Task Request_without_a_model_and_no_default_uses_gpt_4o_mini()
    {
        var json = await SendAsync(Ask(model: null));
        Assert.That(json.GetProperty("model").GetString(), Is.EqualTo(OpenAIProviderOptions.FallbackModel));
    }

    [TestCase("o1")]
    [TestCase("o1-2024-12-17")]
    [TestCase("o3-mini")]
    [TestCase("o4-mini")]
    [TestCase("gpt-5")]
    [TestCase("gpt-5-mini")]
    [TestCase("gpt-5.1")]
    [TestCase("openai/o3")]
    public async Task System_message_is_sent_with_the_developer_role_to_reasoning_models(string model)
    {
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi") }) { Model = model };
        var messages = (await SendAsync(request)).GetProperty("messages");
        Assert.That(messages[0].GetProperty("role").GetString(), Is.EqualTo("developer"));
        Assert.That(messages[0].GetProperty("content").GetString(), Is.EqualTo("Be brief."));
        Assert.That(messages[1].GetProperty("role").GetString(), Is.EqualTo("user"));
    }

    [TestCase("gpt-4o")]
    [TestCase("gpt-4.1-mini")]
    [TestCase("o100-custom")]
    [TestCase("gpt-50-preview")]
    public async Task System_message_keeps_the_system_role_for_other_models(string model)
    {
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi") }) { Model = model };
        var messages = (await SendAsync(request)).GetProperty("messages");
        Assert.That(messages[0].GetProperty("role").GetString(), Is.EqualTo("system"));
    }

    [TestCase(true, "gpt-4o", "developer")]
    [TestCase(false, "o3", "system")]
    public async Task UseDeveloperRole_option_overrides_the_model_family(bool useDeveloper, string model, string expectedRole)
    {
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi") }) { Model = model };
        var messages = (await SendAsync(request, CreateProvider(o => o.UseDeveloperRole = useDeveloper))).GetProperty("messages");
        Assert.That(messages[0].GetProperty("role").GetString(), Is.EqualTo(expectedRole));
    }

    [Test]
    public async Task Images_are_sent_as_content_parts_with_data_urls_and_image_urls()
    {
        var png = new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 }, "image/png");
        png.AdditionalProperties = new AdditionalPropertiesDictionary { ["detail"] = "high" };
        var url = new UriContent(new Uri("https://example.com/cat.jpg"), "image/jpeg");
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.User, [new TextContent("What is in these images?"), png, url]) }) { Model = "gpt-4o" };

        var content = (await SendAsync(request)).GetProperty("messages")[0].GetProperty("content");

        Assert.That(content.GetArrayLength(), Is.EqualTo(3));
        Assert.That(content[0].GetProperty("type").GetString(), Is.EqualTo("text"));
        Assert.That(content[0].GetProperty("text").GetString(), Is.EqualTo("What is in these images?"));
        Assert.That(content[1].GetProperty("type").GetString(), Is.EqualTo("image_url"));
        Assert.That(content[1].GetProperty("image_url").GetProperty("url").GetString(), Is.EqualTo("data:image/png;base64," + Convert.ToBase64String(new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 })));
        Assert.That(content[1].GetProperty("image_url").GetProperty("detail").GetString(), Is.EqualTo("high"));
        Assert.That(content[2].GetProperty("image_url").GetProperty("url").GetString(), Is.EqualTo("https://example.com/cat.jpg"));
        Assert.That(content[2].GetProperty("image_url").TryGetProperty("detail", out _), Is.False);
    }

    [Test]
    public async Task Audio_and_pdf_content_are_sent_as_input_audio_and_file_parts()
    {
        var wav = new DataContent(new byte[] { 1, 2, 3, 4 }, "audio/wav");
        var pdf = new DataContent(new byte[] { 0x25, 0x50, 0x44, 0x46 }, "application/pdf") { Name = "report.pdf" };
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.User, [new TextContent("Summarize"), wav, pdf]) }) { Model = "gpt-4o-audio-preview" };

        var content = (await SendAsync(request)).GetProperty("messages")[0].GetProperty("content");

        Assert.That(content[1].GetProperty("type").GetString(), Is.EqualTo("input_audio"));
        Assert.That(content[1].GetProperty("input_audio").GetProperty("format").GetString(), Is.EqualTo("wav"));
        Assert.That(content[1].GetProperty("input_audio").GetProperty("data").GetString(), Is.EqualTo(Convert.ToBase64String(new byte[] { 1, 2, 3, 4 })));
        Assert.That(content[2].GetProperty("type").GetString(), Is.EqualTo("file"));
        Assert.That(content[2].GetProperty("file").GetProperty("filename").GetString(), Is.EqualTo("report.pdf"));
        Assert.That(content[2].GetProperty("file").GetProperty("file_data").GetString(), Does.StartWith("data:application/pdf;base64,"));
    }

    [Test]
    public async Task Content_the_api_cannot_take_is_an_invalid_request_and_nothing_is_sent()
    {
        var video = new DataContent(new byte[] { 0, 0, 0, 0x18 }, "video/mp4");
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.User, [new TextContent("Watch"), video]) });

        var ex = await CatchChatAsync<InvalidChatRequestException>(Ok, request);

        Assert.That(ex.ProviderName, Is.EqualTo("openai"));
        Assert.That(ex.Message, Does.Contain("video/mp4"));
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(Handler.Requests, Is.Empty);
    }

    [Test]
    public async Task Assistant_tool_calls_and_tool_results_are_sent_in_openai_shape()
    {
        var call = new FunctionCallContent("call_abc", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 2 });
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, "Weather in Paris?"),
            new(ChatRole.Assistant, [call]),
            new(ChatRole.Tool, [new FunctionResultContent("call_abc", "Sunny, 21 °C")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_def", null) { Exception = new InvalidOperationException("Service down") }]),
        })
        { Model = "gpt-4o" };

        var messages = (await SendAsync(request)).GetProperty("messages");

        var assistant = messages[1];
        Assert.That(assistant.GetProperty("role").GetString(), Is.EqualTo("assistant"));
        Assert.That(assistant.GetProperty("content").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var toolCall = assistant.GetProperty("tool_calls")[0];
        Assert.That(toolCall.GetProperty("id").GetString(), Is.EqualTo("call_abc"));
        Assert.That(toolCall.GetProperty("type").GetString(), Is.EqualTo("function"));
        Assert.That(toolCall.GetProperty("function").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
        var arguments = toolCall.GetProperty("function").GetProperty("arguments");
        Assert.That(arguments.ValueKind, Is.EqualTo(JsonValueKind.String), "arguments are a JSON string");
        using (var parsed = JsonDocument.Parse(arguments.GetString()!))
        {
            Assert.That(parsed.RootElement.GetProperty("city").GetString(), Is.EqualTo("Paris"));
            Assert.That(parsed.RootElement.GetProperty("days").GetInt32(), Is.EqualTo(2));
        }

        Assert.That(messages[2].GetProperty("role").GetString(), Is.EqualTo("tool"));
        Assert.That(messages[2].GetProperty("tool_call_id").GetString(), Is.EqualTo("call_abc"));
        Assert.That(messages[2].GetProperty("content").GetString(), Is.EqualTo("Sunny, 21 °C"));
        Assert.That(messages[3].GetProperty("content").GetString(), Is.EqualTo("Error: Service down"));
    }

    [Test]
    public async Task Several_tool_results_in_one_message_become_one_tool_message_each()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "a"), new FunctionResultContent("call_2", "b")]),
        });
        var messages = (await SendAsync(request)).GetProperty("messages");
        Assert.That(messages.GetArrayLength(), Is.EqualTo(2));
        Assert.That(messages[0].GetProperty("tool_call_id").GetString(), Is.EqualTo("call_1"));
        Assert.That(messages[1].GetProperty("tool_call_id").GetString(), Is.EqualTo("call_2"));
    }

    [Test]
    public async Task Author_name_is_sent_as_name()
    {
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.User, "Hi") { AuthorName = "alice" } });
        var message = (await SendAsync(request)).GetProperty("messages")[0];
        Assert.That(message.GetProperty("name").GetString(), Is.EqualTo("alice"));
    }

    [Test]
    public async Task Function_tools_are_sent_with_name_description_schema_and_strict_flag()
    {
        var schema = Schema("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""");
        var strictTool = AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", schema);
        var request = Ask();
        request.Tools = [new StrictDeclaration(strictTool), AIFunctionFactory.CreateDeclaration("no_args", null, default)];

        var tools = (await SendAsync(request)).GetProperty("tools");

        Assert.That(tools.GetArrayLength(), Is.EqualTo(2));
        var function = tools[0].GetProperty("function");
        Assert.That(tools[0].GetProperty("type").GetString(), Is.EqualTo("function"));
        Assert.That(function.GetProperty("name").GetString(), Is.EqualTo("get_weather"));
        Assert.That(function.GetProperty("description").GetString(), Is.EqualTo("Gets the weather."));
        Assert.That(function.GetProperty("parameters").GetRawText(), Is.EqualTo(schema.GetRawText()));
        Assert.That(function.GetProperty("strict").GetBoolean(), Is.True);
        var noArgs = tools[1].GetProperty("function");
        Assert.That(noArgs.TryGetProperty("description", out _), Is.False);
        Assert.That(noArgs.TryGetProperty("strict", out _), Is.False);
        Assert.That(noArgs.GetProperty("parameters").GetProperty("type").GetString(), Is.EqualTo("object"));
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
        request.AllowParallelToolCalls = false;

        var json = await SendAsync(request);

        Assert.That(json.GetProperty("tool_choice").GetRawText(), Is.EqualTo(expected));
        Assert.That(json.GetProperty("parallel_tool_calls").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Tool_choice_and_parallel_tool_calls_are_omitted_without_tools()
    {
        var request = Ask();
        request.ToolMode = ChatToolMode.RequireAny;
        request.AllowParallelToolCalls = true;

        var json = await SendAsync(request);

        Assert.That(json.TryGetProperty("tools", out _), Is.False);
        Assert.That(json.TryGetProperty("tool_choice", out _), Is.False);
        Assert.That(json.TryGetProperty("parallel_tool_calls", out _), Is.False);
    }

    [Test]
    public async Task Response_format_text_json_and_json_schema_are_mapped()
    {
        var request = Ask();
        request.ResponseFormat = ChatResponseFormat.Text;
        Assert.That((await SendAsync(request)).GetProperty("response_format").GetRawText(), Is.EqualTo("{\"type\":\"text\"}"));

        request.ResponseFormat = ChatResponseFormat.Json;
        Assert.That((await SendAsync(request)).GetProperty("response_format").GetRawText(), Is.EqualTo("{\"type\":\"json_object\"}"));

        var schema = Schema("""{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""");
        request.ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "answer_schema", "The answer.");
        var format = (await SendAsync(request)).GetProperty("response_format");
        Assert.That(format.GetProperty("type").GetString(), Is.EqualTo("json_schema"));
        var jsonSchema = format.GetProperty("json_schema");
        Assert.That(jsonSchema.GetProperty("name").GetString(), Is.EqualTo("answer_schema"));
        Assert.That(jsonSchema.GetProperty("description").GetString(), Is.EqualTo("The answer."));
        Assert.That(jsonSchema.GetProperty("schema").GetRawText(), Is.EqualTo(schema.GetRawText()));
        Assert.That(jsonSchema.GetProperty("strict").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Json_schema_without_a_valid_name_gets_a_valid_one()
    {
        var request = Ask();
        request.ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema("""{"type":"object"}"""), "my answer!", null);
        var name = (await SendAsync(request)).GetProperty("response_format").GetProperty("json_schema").GetProperty("name").GetString();
        Assert.That(name, Does.Match("^[a-zA-Z0-9_-]{1,64}$"));
    }

    [Test]
    public async Task Sampling_parameters_are_sent_with_max_completion_tokens_never_max_tokens()
    {
        var request = Ask(model: "o3-mini");
        request.Temperature = 0.7f;
        request.TopP = 0.9f;
        request.StopSequences = ["END", "STOP"];
        request.Seed = 2039908639335532000;
        request.PresencePenalty = 0.5f;
        request.FrequencyPenalty = -0.25f;
        request.MaxOutputTokens = 2148;
        request.TopK = 40;

        var json = await SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("temperature").GetDouble(), Is.EqualTo(0.7).Within(1e-6));
            Assert.That(json.GetProperty("top_p").GetDouble(), Is.EqualTo(0.9).Within(1e-6));
            Assert.That(json.GetProperty("stop").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "END", "STOP" }));
            Assert.That(json.GetProperty("seed").GetInt64(), Is.EqualTo(2039908639335532000));
            Assert.That(json.GetProperty("presence_penalty").GetDouble(), Is.EqualTo(0.5).Within(1e-6));
            Assert.That(json.GetProperty("frequency_penalty").GetDouble(), Is.EqualTo(-0.25).Within(1e-6));
            Assert.That(json.GetProperty("max_completion_tokens").GetInt32(), Is.EqualTo(2148));
            Assert.That(json.TryGetProperty("max_tokens", out _), Is.False);
            Assert.That(json.TryGetProperty("top_k", out _), Is.False, "OpenAI has no top_k");
        });
    }

    [Test]
    public async Task Unset_sampling_parameters_are_not_sent()
    {
        var json = await SendAsync(Ask());
        var names = json.EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(names, Is.EquivalentTo(new[] { "model", "messages" }));
    }

    [TestCase(ReasoningEffort.None, "minimal")]
    [TestCase(ReasoningEffort.Low, "low")]
    [TestCase(ReasoningEffort.Medium, "medium")]
    [TestCase(ReasoningEffort.High, "high")]
    [TestCase(ReasoningEffort.ExtraHigh, "high")]
    public async Task Reasoning_effort_is_mapped(ReasoningEffort effort, string expected)
    {
        var request = Ask(model: "o4-mini");
        request.ReasoningEffort = effort;
        Assert.That((await SendAsync(request)).GetProperty("reasoning_effort").GetString(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Stream_request_asks_for_usage_and_accepts_event_streams()
    {
        await StreamAsync(CannedResponse.EventStream(OpenAIWire.Sse([OpenAIWire.TextChunk("ok"), OpenAIWire.FinishChunk("stop")])));
        var request = Handler.LastRequest;
        var json = request.Json();
        Assert.That(json.GetProperty("stream").GetBoolean(), Is.True);
        Assert.That(json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean(), Is.True);
        Assert.That(request.Header("Accept"), Is.EqualTo("text/event-stream"));
    }

    [Test]
    public async Task Stream_usage_request_can_be_switched_off_for_strict_servers()
    {
        var provider = CreateProvider(o => o.IncludeStreamUsage = false);
        await StreamAsync(CannedResponse.EventStream(OpenAIWire.Sse([OpenAIWire.TextChunk("ok"), OpenAIWire.FinishChunk("stop")])), provider: provider);
        var json = Handler.LastRequest.Json();
        Assert.That(json.GetProperty("stream").GetBoolean(), Is.True);
        Assert.That(json.TryGetProperty("stream_options", out _), Is.False);
    }

    [Test]
    public async Task Additional_request_fields_are_written_top_level_and_replace_same_named_fields()
    {
        var request = Ask();
        request.Temperature = 0.2f;
        request.AdditionalRequestFields = new Dictionary<string, JsonElement>
        {
            ["service_tier"] = Schema("\"flex\""),
            ["temperature"] = Schema("1"),
            ["metadata"] = Schema("""{"run":"42"}"""),
        };

        await ChatAsync(Ok, request);
        var body = Handler.LastRequest.BodyText;
        var json = Handler.LastRequest.Json();

        Assert.That(json.GetProperty("service_tier").GetString(), Is.EqualTo("flex"));
        Assert.That(json.GetProperty("metadata").GetProperty("run").GetString(), Is.EqualTo("42"));
        Assert.That(json.GetProperty("temperature").GetInt32(), Is.EqualTo(1));
        Assert.That(body.Split("\"temperature\"").Length - 1, Is.EqualTo(1), "temperature is written once");
    }

    [Test]
    public async Task Text_with_quotes_newlines_and_emoji_round_trips_through_the_request_body()
    {
        const string Text = "Line \"one\"\nline two \\ tab\t 👋 <b>&</b> \u0001";
        await ChatAsync(Ok, Ask(Text));
        Assert.That(Handler.LastRequest.Json().GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo(Text));
    }

    [Test]
    public async Task Assistant_history_text_is_sent_as_a_string()
    {
        var request = new ChatRequest(new List<ChatMessage> { new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hello!"), new(ChatRole.User, "Bye") });
        var messages = (await SendAsync(request)).GetProperty("messages");
        Assert.That(messages[1].GetProperty("role").GetString(), Is.EqualTo("assistant"));
        Assert.That(messages[1].GetProperty("content").GetString(), Is.EqualTo("Hello!"));
    }

    [Test]
    public async Task Missing_api_key_with_AllowMissingApiKey_sends_no_authorization_header()
    {
        var provider = CreateProvider(o => { o.ApiKey = null; o.AllowMissingApiKey = true; o.BaseUrl = new Uri("http://localhost:8000/v1"); });
        await ChatAsync(Ok, provider: provider);
        Assert.That(Handler.LastRequest.Header("Authorization"), Is.Null);
    }

    /// <summary>A declaration marked strict the way Microsoft.Extensions.AI's OpenAI client reads it.</summary>
    private sealed class StrictDeclaration(AIFunctionDeclaration inner) : AIFunctionDeclaration
    {
        public override string Name => inner.Name;

        public override string Description => inner.Description;

        public override JsonElement JsonSchema => inner.JsonSchema;

        public override IReadOnlyDictionary<string, object?> AdditionalProperties { get; } = new Dictionary<string, object?> { ["strict"] = true };
    }
}
