using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using LlmProviders.OpenAI.Wire;

namespace LlmProviders.OpenAI.Tests.Wire;

/// <summary>The model-list reader.</summary>
public sealed class OpenAIModelsParserTests
{
    [Test]
    public void OpenAI_list_gives_ids_owners_and_creation_dates()
    {
        var models = OpenAIModelsParser.Parse(Encoding.UTF8.GetBytes(OpenAIWire.Models("gpt-4o", "o3-mini")), out bool hasError);
        Assert.That(hasError, Is.False);
        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "gpt-4o", "o3-mini" }));
        Assert.That(models[0].OwnedBy, Is.EqualTo("openai"));
        Assert.That(models[0].CreatedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1686588896)));
    }

    [Test]
    public void Bare_array_of_compatible_servers_is_read_with_context_length()
    {
        var json = """[{"id":"meta-llama/Llama-3.3-70B-Instruct-Turbo","object":"model","created":0,"type":"chat","display_name":"Llama 3.3 70B","organization":"Meta","context_length":131072,"pricing":{"input":0.88}}]""";
        var model = OpenAIModelsParser.Parse(Encoding.UTF8.GetBytes(json), out _).Single();
        Assert.That(model.DisplayName, Is.EqualTo("Llama 3.3 70B"));
        Assert.That(model.OwnedBy, Is.EqualTo("Meta"));
        Assert.That(model.ContextWindow, Is.EqualTo(131072));
        Assert.That(model.CreatedAt, Is.Null);
    }

    [Test]
    public void Entries_without_an_id_are_skipped()
    {
        var models = OpenAIModelsParser.Parse("""{"object":"list","data":[{"object":"model"},{"id":""},{"id":"ok"},42]}"""u8, out _);
        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "ok" }));
    }

    [Test]
    public void Error_object_is_reported()
    {
        OpenAIModelsParser.Parse("""{"error":{"message":"nope"}}"""u8, out bool hasError);
        Assert.That(hasError, Is.True);
    }

    [Test]
    public void Object_without_a_data_array_is_rejected()
    {
        Assert.Throws<JsonException>(() => OpenAIModelsParser.Parse("""{"object":"list"}"""u8.ToArray(), out _));
    }
}
