using System;
using System.Text;
using System.Text.Json;
using LlmProviders.Mistral.Wire;

namespace LlmProviders.Mistral.Tests.Wire;

/// <summary>Edge case #28: Mistral's model list, <c>{"object":"list","data":[…]}</c> with capabilities and context length.</summary>
public sealed class MistralModelsParserTests
{
    private const string List = """
        {"object":"list","data":[
          {"id":"mistral-small-latest","object":"model","created":1735000000,"owned_by":"mistralai","capabilities":{"completion_chat":true,"completion_fim":false,"function_calling":true,"fine_tuning":true,"vision":true,"classification":false},"name":"mistral-small-2503","description":"Our latest enterprise-grade small model","max_context_length":131072,"aliases":["mistral-small-2503"],"deprecation":null,"default_model_temperature":0.3,"type":"base"},
          {"id":"codestral-latest","object":"model","created":1735000000,"owned_by":"mistralai","capabilities":{"completion_chat":true,"completion_fim":true,"function_calling":true,"vision":false},"max_context_length":256000,"deprecation":"2026-06-30T12:00:00Z","type":"base"},
          {"id":"mistral-embed","object":"model","created":1735000000,"owned_by":"mistralai","capabilities":{"completion_chat":false,"function_calling":false,"vision":false,"classification":false},"max_context_length":8192},
          {"object":"model","name":"no id"}
        ]}
        """;

    [Test]
    public void Reads_ids_owner_created_name_and_context_window()
    {
        var models = MistralModelsParser.Parse(Encoding.UTF8.GetBytes(List), out bool hasError);

        Assert.That(hasError, Is.False);
        Assert.That(models.ConvertAll(m => m.Id), Is.EqualTo(new[] { "mistral-small-latest", "codestral-latest", "mistral-embed" }));
        var small = models[0];
        Assert.That(small.OwnedBy, Is.EqualTo("mistralai"));
        Assert.That(small.DisplayName, Is.EqualTo("mistral-small-2503"));
        Assert.That(small.CreatedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1735000000)));
        Assert.That(small.ContextWindow, Is.EqualTo(131072));
        Assert.That(small.AdditionalProperties!["description"], Is.EqualTo("Our latest enterprise-grade small model"));
        Assert.That(small.AdditionalProperties["aliases"], Is.EqualTo(new[] { "mistral-small-2503" }));
        Assert.That(small.AdditionalProperties["type"], Is.EqualTo("base"));
        Assert.That(small.AdditionalProperties["default_model_temperature"], Is.EqualTo(0.3));
        Assert.That(small.AdditionalProperties.ContainsKey("deprecation"), Is.False);
        Assert.That(models[1].AdditionalProperties!["deprecation"], Is.EqualTo("2026-06-30T12:00:00Z"));
    }

    [Test]
    public void Capabilities_map_to_llm_capabilities_and_keep_the_raw_names()
    {
        var models = MistralModelsParser.Parse(Encoding.UTF8.GetBytes(List), out _);

        var small = (LlmCapabilities)models[0].AdditionalProperties![MistralModelsParser.CapabilitiesKey]!;
        Assert.That(small.HasFlag(LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.Tools | LlmCapabilities.Vision), Is.True);
        Assert.That(models[0].AdditionalProperties![MistralModelsParser.RawCapabilitiesKey], Is.EqualTo(new[] { "completion_chat", "function_calling", "fine_tuning", "vision" }));

        var codestral = (LlmCapabilities)models[1].AdditionalProperties![MistralModelsParser.CapabilitiesKey]!;
        Assert.That(codestral.HasFlag(LlmCapabilities.Vision), Is.False);
        Assert.That((string[])models[1].AdditionalProperties![MistralModelsParser.RawCapabilitiesKey]!, Does.Contain("completion_fim"));

        var embed = (LlmCapabilities)models[2].AdditionalProperties![MistralModelsParser.CapabilitiesKey]!;
        Assert.That(embed, Is.EqualTo(LlmCapabilities.None));
    }

    [Test]
    public void Error_body_in_a_200_is_reported()
    {
        MistralModelsParser.Parse(Encoding.UTF8.GetBytes("""{"detail":"Unauthorized"}"""), out bool hasError);
        Assert.That(hasError, Is.True);
    }

    [Test]
    public void Object_without_data_is_malformed()
    {
        Assert.Throws<JsonException>(() => MistralModelsParser.Parse(Encoding.UTF8.GetBytes("""{"object":"list"}"""), out _));
    }
}
