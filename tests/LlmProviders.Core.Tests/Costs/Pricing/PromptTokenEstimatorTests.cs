using System.Collections.Generic;
using LlmProviders.Costs;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Costs.Pricing;

[TestFixture]
public sealed class PromptTokenEstimatorTests
{
    [Test]
    public void Text_counts_about_four_characters_a_token_plus_message_framing()
    {
        var request = new ChatRequest(new string('a', 400));

        // 3 (priming) + 4 (one message) + 400 / 4.
        Assert.That(PromptTokenEstimator.Estimate(request), Is.EqualTo(107));
    }

    [Test]
    public void Every_message_and_image_adds_its_allowance()
    {
        var request = new ChatRequest(new List<ChatMessage>
        {
            new(ChatRole.System, "1234"),
            new(ChatRole.User, [new TextContent("5678"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]),
        });

        Assert.That(PromptTokenEstimator.Estimate(request), Is.EqualTo(3 + (2 * PromptTokenEstimator.PerMessage) + PromptTokenEstimator.PerImage + 2));
    }

    [Test]
    public void Tools_add_their_names_descriptions_and_schemas()
    {
        var without = new ChatRequest("hi");
        var with = new ChatRequest("hi") { Tools = [AIFunctionFactory.Create((string city) => city, "get_weather", "Gets the weather for a city.")] };

        Assert.That(PromptTokenEstimator.Estimate(with), Is.GreaterThan(PromptTokenEstimator.Estimate(without) + PromptTokenEstimator.PerTool + 10));
    }
}
