using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using LlmProviders.Tools;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Tools;

public class LlmToolRegistryTests
{
    [Test]
    public async Task A_delegate_becomes_a_tool_with_a_schema_from_its_parameters()
    {
        var tools = new LlmToolRegistry().Register("get_weather", (string location) => "Sunny in " + location, "Gets the weather.");

        Assert.That(tools.TryGet("get_weather", out var tool), Is.True);
        var result = await tool!.InvokeAsync(new AIFunctionArguments { ["location"] = "Paris" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tool.Description, Is.EqualTo("Gets the weather."));
            Assert.That(tool.JsonSchema.GetProperty("properties").TryGetProperty("location", out _), Is.True);
            Assert.That(result?.ToString(), Is.EqualTo("Sunny in Paris"));
        }
    }

    [Test]
    public async Task A_described_tool_keeps_its_schema_and_runs_its_delegate()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""");
        var tools = new LlmToolRegistry().Register("get_weather", "Gets the weather.", schema.RootElement, (args, _) => new ValueTask<object?>("Sunny in " + args["location"]));

        Assert.That(tools.TryGet("get_weather", out var tool), Is.True);
        var result = await tool!.InvokeAsync(new AIFunctionArguments { ["location"] = "Oslo" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tool.JsonSchema.GetProperty("required")[0].GetString(), Is.EqualTo("location"));
            Assert.That(tool.Description, Is.EqualTo("Gets the weather."));
            Assert.That(result, Is.EqualTo("Sunny in Oslo"));
        }
    }

    [Test]
    public async Task A_delegate_result_goes_back_as_compact_JSON()
    {
        var tools = new LlmToolRegistry().Register("get_weather", (string location) => new { location, temperature = "20°C" });

        Assert.That(tools.TryGet("get_weather", out var tool), Is.True);
        var result = await tool!.InvokeAsync(new AIFunctionArguments { ["location"] = "Paris" });

        Assert.That(((JsonElement)result!).GetRawText(), Is.EqualTo("{\"location\":\"Paris\",\"temperature\":\"20°C\"}"), "no indentation: every space is a billed token");
    }

    [Test]
    public void A_name_registered_again_replaces_the_tool_and_remove_takes_it_out()
    {
        var tools = new LlmToolRegistry()
            .Register("t", () => "first")
            .Register("t", () => "second")
            .Register("u", () => "other");

        Assert.That(tools.Count, Is.EqualTo(2));
        Assert.That(tools.Remove("t"), Is.True);
        Assert.That(tools.Remove("t"), Is.False);
        Assert.That(tools.Tools.Select(t => t.Name), Is.EqualTo(new[] { "u" }));
    }

    [Test]
    public void A_schema_that_is_not_an_object_is_refused()
    {
        using var schema = JsonDocument.Parse("[]");

        var ex = Assert.Throws<ArgumentException>(() => new LlmToolRegistry().Register("t", "d", schema.RootElement, (_, _) => default));

        Assert.That(ex!.Message, Does.Contain("must be a JSON object"));
    }
}
