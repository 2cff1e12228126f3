using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Google.Tests;

/// <summary>The request body and headers Gemini receives: roles, systemInstruction, parts, tools, generationConfig, thinking, the key header.</summary>
public sealed class GeminiProviderRequestTests : GeminiProviderTestBase
{
    private static CannedResponse Ok => CannedResponse.Json(GeminiWire.Completion("ok"));

    private async Task<JsonElement> SendAsync(ChatRequest request, Action<GeminiProviderOptions>? configure = null)
    {
        await ChatAsync(Ok, request, CreateProvider(configure));
        return Handler.LastRequest.Json();
    }

    private static JsonElement Schema(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Test]
    public async Task System_messages_become_systemInstruction_and_roles_are_user_and_model()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.System, "Be brief."),
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, "Hello!"),
            new(ChatRole.System, "Answer in French."),
            new(ChatRole.User, "How are you?"),
        }) { Model = "gemini-2.5-flash" };

        var json = await SendAsync(request);

        var system = json.GetProperty("systemInstruction").GetProperty("parts");
        Assert.That(system.EnumerateArray().Select(p => p.GetProperty("text").GetString()), Is.EqualTo(new[] { "Be brief.", "Answer in French." }));
        var contents = json.GetProperty("contents").EnumerateArray().ToList();
        Assert.That(contents.Select(c => c.GetProperty("role").GetString()), Is.EqualTo(new[] { "user", "model", "user" }));
        Assert.That(contents[1].GetProperty("parts")[0].GetProperty("text").GetString(), Is.EqualTo("Hello!"));
    }

    [Test]
    public async Task Images_are_sent_as_inlineData_and_urls_as_fileData()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, [
                new TextContent("What is in these?"),
                new DataContent(png, "image/png"),
                new UriContent(new Uri("https://generativelanguage.googleapis.com/v1beta/files/abc123"), "image/jpeg"),
            ]),
        });

        var parts = (await SendAsync(request)).GetProperty("contents")[0].GetProperty("parts");

        Assert.That(parts[0].GetProperty("text").GetString(), Is.EqualTo("What is in these?"));
        var inline = parts[1].GetProperty("inlineData");
        Assert.That(inline.GetProperty("mimeType").GetString(), Is.EqualTo("image/png"));
        Assert.That(inline.GetProperty("data").GetString(), Is.EqualTo(Convert.ToBase64String(png)));
        var file = parts[2].GetProperty("fileData");
        Assert.That(file.GetProperty("mimeType").GetString(), Is.EqualTo("image/jpeg"));
        Assert.That(file.GetProperty("fileUri").GetString(), Is.EqualTo("https://generativelanguage.googleapis.com/v1beta/files/abc123"));
    }

    [Test]
    public async Task Tools_are_functionDeclarations_with_schema_keywords_gemini_rejects_removed()
    {
        var request = Ask();
        request.Tools =
        [
            AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather.", Schema("""{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"city":{"type":"string","description":"The city."},"unit":{"type":["string","null"],"enum":["C","F"]},"days":{"type":"array","items":{"type":"integer","additionalProperties":false}}},"required":["city"],"additionalProperties":false}""")),
            AIFunctionFactory.CreateDeclaration("get_time", null, Schema("""{"type":"object","properties":{}}""")),
        ];

        var json = await SendAsync(request);

        var declarations = json.GetProperty("tools")[0].GetProperty("functionDeclarations");
        Assert.That(declarations.GetArrayLength(), Is.EqualTo(2));
        var weather = declarations[0];
        Assert.That(weather.GetProperty("name").GetString(), Is.EqualTo("get_weather"));
        Assert.That(weather.GetProperty("description").GetString(), Is.EqualTo("Gets the weather."));
        var parameters = weather.GetProperty("parameters");
        Assert.That(parameters.GetRawText(), Does.Not.Contain("additionalProperties").And.Not.Contain("$schema"));
        Assert.That(parameters.GetProperty("required")[0].GetString(), Is.EqualTo("city"));
        var unit = parameters.GetProperty("properties").GetProperty("unit");
        Assert.That(unit.GetProperty("type").GetString(), Is.EqualTo("string"));
        Assert.That(unit.GetProperty("nullable").GetBoolean(), Is.True);
        Assert.That(parameters.GetProperty("properties").GetProperty("days").GetProperty("items").GetProperty("type").GetString(), Is.EqualTo("integer"));
        Assert.That(declarations[1].TryGetProperty("parameters", out _), Is.False, "A function without parameters is declared without a schema.");
        Assert.That(json.TryGetProperty("toolConfig", out _), Is.False);
    }

    [TestCase("auto", "AUTO", null)]
    [TestCase("none", "NONE", null)]
    [TestCase("any", "ANY", null)]
    [TestCase("get_weather", "ANY", "get_weather")]
    public async Task Tool_mode_becomes_functionCallingConfig(string mode, string expected, string? allowed)
    {
        var request = Ask();
        request.Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Weather.", Schema("""{"type":"object","properties":{"city":{"type":"string"}}}"""))];
        request.ToolMode = mode switch
        {
            "auto" => ChatToolMode.Auto,
            "none" => ChatToolMode.None,
            "any" => ChatToolMode.RequireAny,
            _ => ChatToolMode.RequireSpecific(mode),
        };

        var config = (await SendAsync(request)).GetProperty("toolConfig").GetProperty("functionCallingConfig");

        Assert.That(config.GetProperty("mode").GetString(), Is.EqualTo(expected));
        if (allowed is null)
        {
            Assert.That(config.TryGetProperty("allowedFunctionNames", out _), Is.False);
        }
        else
        {
            Assert.That(config.GetProperty("allowedFunctionNames")[0].GetString(), Is.EqualTo(allowed));
        }
    }

    [Test]
    public async Task Tool_calls_go_back_as_functionCall_with_object_args_and_signature_and_results_as_functionResponse_in_a_user_turn()
    {
        var call = new FunctionCallContent("call_0", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })
        {
            AdditionalProperties = new() { [GeminiProvider.ThoughtSignatureKey] = "c2lnLTE=" },
        };
        var second = new FunctionCallContent("call_1", "get_time", new Dictionary<string, object?> { ["timezone"] = "Europe/Paris" });
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, "Weather and time in Paris?"),
            new(ChatRole.Assistant, [call, second]),
            new(ChatRole.Tool, [new FunctionResultContent("call_0", "18C and sunny"), new FunctionResultContent("call_1", JsonDocument.Parse("""{"time":"12:00"}""").RootElement)]),
        });

        var contents = (await SendAsync(request)).GetProperty("contents");

        var model = contents[1];
        Assert.That(model.GetProperty("role").GetString(), Is.EqualTo("model"));
        var first = model.GetProperty("parts")[0];
        Assert.That(first.GetProperty("functionCall").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
        Assert.That(first.GetProperty("functionCall").GetProperty("args").GetProperty("city").GetString(), Is.EqualTo("Paris"));
        Assert.That(first.GetProperty("thoughtSignature").GetString(), Is.EqualTo("c2lnLTE="));
        Assert.That(model.GetProperty("parts")[1].TryGetProperty("thoughtSignature", out _), Is.False);

        var results = contents[2];
        Assert.That(results.GetProperty("role").GetString(), Is.EqualTo("user"));
        var weather = results.GetProperty("parts")[0].GetProperty("functionResponse");
        Assert.That(weather.GetProperty("name").GetString(), Is.EqualTo("get_weather"));
        Assert.That(weather.GetProperty("response").GetProperty("result").GetString(), Is.EqualTo("18C and sunny"));
        var time = results.GetProperty("parts")[1].GetProperty("functionResponse");
        Assert.That(time.GetProperty("name").GetString(), Is.EqualTo("get_time"));
        Assert.That(time.GetProperty("response").GetProperty("time").GetString(), Is.EqualTo("12:00"));
    }

    [Test]
    public async Task ThoughtSignature_of_a_returned_call_is_round_tripped_on_the_next_request()
    {
        Handler.Enqueue(CannedResponse.Json(GeminiWire.Response(GeminiWire.Candidate([GeminiWire.CallPart("get_weather", """{"city":"Paris"}""", "RXRvRjEyMw==")]))), Ok);
        var provider = CreateProvider();
        var request = Ask("Weather in Paris?");
        var first = await provider.ChatAsync(request);

        var next = request.Clone();
        next.Messages.Add(first.Message);
        next.Messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(first.ToolCalls[0].CallId, "18C")]));
        await provider.ChatAsync(next);

        var contents = Handler.LastRequest.Json().GetProperty("contents");
        Assert.That(contents[1].GetProperty("parts")[0].GetProperty("thoughtSignature").GetString(), Is.EqualTo("RXRvRjEyMw=="));
        Assert.That(contents[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
    }

    [Test]
    public async Task A_failed_tool_result_is_sent_as_an_error_response_and_an_uploaded_file_as_fileData()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, [new TextContent("Summarise"), new HostedFileContent("https://generativelanguage.googleapis.com/v1beta/files/doc-1") { MediaType = "application/pdf" }]),
            new(ChatRole.Assistant, [new FunctionCallContent("call_0", "lookup", new Dictionary<string, object?>())]),
            new(ChatRole.Tool, [new FunctionResultContent("call_0", null) { Exception = new InvalidOperationException("lookup failed") }]),
        });

        var contents = (await SendAsync(request)).GetProperty("contents");

        var file = contents[0].GetProperty("parts")[1].GetProperty("fileData");
        Assert.That(file.GetProperty("fileUri").GetString(), Is.EqualTo("https://generativelanguage.googleapis.com/v1beta/files/doc-1"));
        Assert.That(file.GetProperty("mimeType").GetString(), Is.EqualTo("application/pdf"));
        Assert.That(contents[1].GetProperty("parts")[0].GetProperty("functionCall").GetProperty("args").GetRawText(), Is.EqualTo("{}"));
        var response = contents[2].GetProperty("parts")[0].GetProperty("functionResponse");
        Assert.That(response.GetProperty("name").GetString(), Is.EqualTo("lookup"));
        Assert.That(response.GetProperty("response").GetProperty("error").GetString(), Is.EqualTo("lookup failed"));
    }

    [Test]
    public async Task A_seed_beyond_32_bits_is_an_invalid_request_and_nothing_is_sent()
    {
        var request = Ask();
        request.Seed = 2039908639335532000;
        var ex = await CatchChatAsync<InvalidChatRequestException>(Ok, request);
        Assert.That(ex.Message, Does.Contain("seed"));
        Assert.That(Handler.Requests, Is.Empty);
    }

    [Test]
    public async Task Reasoning_content_is_not_sent_back()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, [new TextReasoningContent("thinking…"), new TextContent("Hello")]),
            new(ChatRole.User, "Again"),
        });

        var parts = (await SendAsync(request)).GetProperty("contents")[1].GetProperty("parts");
        Assert.That(parts.GetArrayLength(), Is.EqualTo(1));
        Assert.That(parts[0].GetProperty("text").GetString(), Is.EqualTo("Hello"));
    }

    [Test]
    public async Task A_tool_result_without_its_call_in_the_conversation_is_an_invalid_request_and_nothing_is_sent()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.User, "Hi"),
            new(ChatRole.Tool, [new FunctionResultContent("call_missing", "x")]),
        });

        var ex = await CatchChatAsync<InvalidChatRequestException>(Ok, request);
        Assert.That(ex.Message, Does.Contain("call_missing"));
        Assert.That(Handler.Requests, Is.Empty);
    }

    [Test]
    public async Task Sampling_parameters_go_in_generationConfig()
    {
        var request = Ask();
        request.Temperature = 0.25f;
        request.TopP = 0.9f;
        request.TopK = 40;
        request.MaxOutputTokens = 256;
        request.StopSequences = ["END", "STOP"];
        request.Seed = 42;
        request.PresencePenalty = 0.5f;
        request.FrequencyPenalty = 0.75f;

        var json = await SendAsync(request);

        var config = json.GetProperty("generationConfig");
        Assert.Multiple(() =>
        {
            Assert.That(config.GetProperty("temperature").GetDouble(), Is.EqualTo(0.25).Within(1e-6));
            Assert.That(config.GetProperty("topP").GetDouble(), Is.EqualTo(0.9).Within(1e-6));
            Assert.That(config.GetProperty("topK").GetInt32(), Is.EqualTo(40));
            Assert.That(config.GetProperty("maxOutputTokens").GetInt32(), Is.EqualTo(256));
            Assert.That(config.GetProperty("stopSequences").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "END", "STOP" }));
            Assert.That(config.GetProperty("seed").GetInt64(), Is.EqualTo(42));
            Assert.That(config.GetProperty("presencePenalty").GetDouble(), Is.EqualTo(0.5).Within(1e-6));
            Assert.That(config.GetProperty("frequencyPenalty").GetDouble(), Is.EqualTo(0.75).Within(1e-6));
            Assert.That(config.TryGetProperty("thinkingConfig", out _), Is.False);
            Assert.That(json.TryGetProperty("temperature", out _), Is.False, "Sampling parameters are not top-level fields.");
        });
    }

    [Test]
    public async Task A_request_without_parameters_sends_no_generationConfig()
    {
        var json = await SendAsync(Ask());
        Assert.That(json.TryGetProperty("generationConfig", out _), Is.False);
        Assert.That(json.TryGetProperty("tools", out _), Is.False);
        Assert.That(json.TryGetProperty("systemInstruction", out _), Is.False);
    }

    [Test]
    public async Task Json_schema_format_sets_responseMimeType_and_a_gemini_responseSchema()
    {
        var request = Ask();
        request.ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema("""{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name"],"additionalProperties":false}"""), "person");

        var config = (await SendAsync(request)).GetProperty("generationConfig");

        Assert.That(config.GetProperty("responseMimeType").GetString(), Is.EqualTo("application/json"));
        var schema = config.GetProperty("responseSchema");
        Assert.That(schema.GetProperty("type").GetString(), Is.EqualTo("object"));
        Assert.That(schema.GetProperty("properties").GetProperty("age").GetProperty("type").GetString(), Is.EqualTo("integer"));
        Assert.That(schema.TryGetProperty("additionalProperties", out _), Is.False);
    }

    [Test]
    public async Task Json_mode_without_schema_sets_only_responseMimeType()
    {
        var request = Ask();
        request.ResponseFormat = ChatResponseFormat.Json;
        var config = (await SendAsync(request)).GetProperty("generationConfig");
        Assert.That(config.GetProperty("responseMimeType").GetString(), Is.EqualTo("application/json"));
        Assert.That(config.TryGetProperty("responseSchema", out _), Is.False);
    }

    [TestCase(ReasoningEffort.None, 0)]
    [TestCase(ReasoningEffort.Low, 1024)]
    [TestCase(ReasoningEffort.Medium, 8192)]
    [TestCase(ReasoningEffort.High, 24576)]
    [TestCase(ReasoningEffort.ExtraHigh, 32768)]
    public async Task Reasoning_effort_sets_the_thinking_budget_and_asks_for_thoughts(ReasoningEffort effort, int budget)
    {
        var request = Ask();
        request.ReasoningEffort = effort;

        var thinking = (await SendAsync(request)).GetProperty("generationConfig").GetProperty("thinkingConfig");

        Assert.That(thinking.GetProperty("thinkingBudget").GetInt32(), Is.EqualTo(budget));
        if (budget == 0)
        {
            Assert.That(thinking.TryGetProperty("includeThoughts", out _), Is.False, "No thoughts to include when thinking is off.");
        }
        else
        {
            Assert.That(thinking.GetProperty("includeThoughts").GetBoolean(), Is.True);
        }
    }

    [Test]
    public async Task IncludeThoughts_off_keeps_the_budget_but_asks_for_no_thought_summaries()
    {
        var request = Ask();
        request.ReasoningEffort = ReasoningEffort.High;
        var thinking = (await SendAsync(request, o => o.IncludeThoughts = false)).GetProperty("generationConfig").GetProperty("thinkingConfig");
        Assert.That(thinking.GetProperty("thinkingBudget").GetInt32(), Is.EqualTo(24576));
        Assert.That(thinking.TryGetProperty("includeThoughts", out _), Is.False);
    }

    [Test]
    public async Task Additional_request_fields_are_added_and_replace_the_written_ones()
    {
        var request = Ask();
        request.Temperature = 0.1f;
        request.AdditionalRequestFields = new Dictionary<string, JsonElement>
        {
            ["safetySettings"] = Schema("""[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","threshold":"BLOCK_ONLY_HIGH"}]"""),
            ["generationConfig"] = Schema("""{"candidateCount":1}"""),
        };

        var json = await SendAsync(request);

        Assert.That(json.GetProperty("safetySettings")[0].GetProperty("threshold").GetString(), Is.EqualTo("BLOCK_ONLY_HIGH"));
        Assert.That(json.GetProperty("generationConfig").GetRawText(), Is.EqualTo("""{"candidateCount":1}"""));
    }

    [Test]
    public async Task The_key_is_sent_in_the_x_goog_api_key_header_and_never_in_the_url()
    {
        var provider = CreateProvider();
        await ChatAsync(Ok, Ask(), provider);
        var chat = Handler.LastRequest;
        Handler.Response = CannedResponse.EventStream(GeminiWire.Sse([GeminiWire.Completion("ok")]));
        await Collect(provider.StreamAsync(Ask()), []);
        var stream = Handler.LastRequest;
        Handler.Response = CannedResponse.Json(GeminiWire.Models(null, ("gemini-2.5-flash", ["generateContent"])));
        await provider.ListModelsAsync();
        var models = Handler.LastRequest;

        foreach (var request in new[] { chat, stream, models })
        {
            Assert.That(request.Header("x-goog-api-key"), Is.EqualTo(Key), request.ToString());
            Assert.That(request.Uri.AbsoluteUri, Does.Not.Contain("key=").And.Not.Contain(Key), request.ToString());
            Assert.That(request.Header("Authorization"), Is.Null);
        }

        Assert.That(chat.Uri.AbsoluteUri, Is.EqualTo("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"));
        Assert.That(stream.Uri.AbsoluteUri, Is.EqualTo("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
    }

    [Test]
    public async Task A_model_named_with_the_models_prefix_is_not_doubled_and_the_default_model_is_used_when_none_is_named()
    {
        var provider = CreateProvider(o => o.DefaultModel = "gemini-2.0-flash");
        await ChatAsync(Ok, Ask(model: "models/gemini-2.5-pro"), provider);
        Assert.That(Handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/v1beta/models/gemini-2.5-pro:generateContent"));
        await ChatAsync(Ok, Ask(model: null), provider);
        Assert.That(Handler.LastRequest.Uri.AbsolutePath, Is.EqualTo("/v1beta/models/gemini-2.0-flash:generateContent"));
    }

    [Test]
    public async Task A_custom_base_url_is_used_for_every_endpoint()
    {
        var provider = CreateProvider(o => o.BaseUrl = new Uri("https://proxy.example.com/gemini/v1beta/"));
        await ChatAsync(Ok, Ask(), provider);
        Assert.That(Handler.LastRequest.Uri.AbsoluteUri, Is.EqualTo("https://proxy.example.com/gemini/v1beta/models/gemini-2.5-flash:generateContent"));
    }
}
