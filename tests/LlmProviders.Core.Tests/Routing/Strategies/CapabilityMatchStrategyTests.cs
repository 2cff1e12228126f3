using System;
using System.Text.Json;
using LlmProviders.Routing;
using Microsoft.Extensions.AI;
using static LlmProviders.Tests.Routing.Strategies.StrategyTestKit;

namespace LlmProviders.Tests.Routing.Strategies;

[TestFixture]
public sealed class CapabilityMatchStrategyTests
{
    private const LlmCapabilities Basic = LlmCapabilities.Chat | LlmCapabilities.Streaming;

    private static RoutingTargetInfo[] Targets() =>
    [
        new("everything", "openai") { Capabilities = Basic | LlmCapabilities.Tools | LlmCapabilities.Vision | LlmCapabilities.JsonSchema | LlmCapabilities.Reasoning },
        new("basic", "openai") { Capabilities = Basic },
        new("tools", "openai") { Capabilities = Basic | LlmCapabilities.Tools },
        new("vision", "openai") { Capabilities = Basic | LlmCapabilities.Vision },
    ];

    [Test]
    public void The_cheapest_fit_comes_first_for_a_plain_request()
    {
        Assert.That(Order(RoutingStrategies.CapabilityMatch(), Context(Targets())), Is.EqualTo(new[] { "basic", "tools", "vision", "everything" }));
    }

    [Test]
    public void Required_capabilities_put_covering_targets_first()
    {
        var request = new ChatRequest("think") { RequiredCapabilities = LlmCapabilities.Reasoning };

        Assert.That(Order(RoutingStrategies.CapabilityMatch(), Context(Targets(), request)), Is.EqualTo(new[] { "everything", "basic", "tools", "vision" }));
    }

    [Test]
    public void Tools_in_the_request_need_tool_calling()
    {
        var request = new ChatRequest("weather?") { Tools = [AIFunctionFactory.Create(() => "sunny", "get_weather")] };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CapabilityMatchStrategy.GetNeededCapabilities(request), Is.EqualTo(LlmCapabilities.Tools));
            Assert.That(Order(RoutingStrategies.CapabilityMatch(), Context(Targets(), request)), Is.EqualTo(new[] { "tools", "everything", "basic", "vision" }));
        }
    }

    [Test]
    public void An_image_needs_vision()
    {
        var request = new ChatRequest([new ChatMessage(ChatRole.User, [new TextContent("what is this?"), new DataContent(new byte[] { 1, 2 }, "image/png")])]);

        Assert.That(Order(RoutingStrategies.CapabilityMatch(), Context(Targets(), request)), Is.EqualTo(new[] { "vision", "everything", "basic", "tools" }));
    }

    [Test]
    public void An_image_link_needs_vision_but_a_pdf_does_not()
    {
        var image = new ChatRequest([new ChatMessage(ChatRole.User, [new UriContent(new Uri("https://example.com/cat.jpg"), "image/jpeg")])]);
        var pdf = new ChatRequest([new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "application/pdf")])]);

        Assert.That((CapabilityMatchStrategy.GetNeededCapabilities(image), CapabilityMatchStrategy.GetNeededCapabilities(pdf)),
            Is.EqualTo((LlmCapabilities.Vision, LlmCapabilities.None)));
    }

    [Test]
    public void A_json_schema_response_format_needs_structured_output()
    {
        using var schema = JsonDocument.Parse("""{"type":"object"}""");
        var request = new ChatRequest("list") { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement.Clone(), "list") };
        var plainJson = new ChatRequest("list") { ResponseFormat = ChatResponseFormat.Json };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CapabilityMatchStrategy.GetNeededCapabilities(plainJson), Is.EqualTo(LlmCapabilities.None));
            Assert.That(Order(RoutingStrategies.CapabilityMatch(), Context(Targets(), request)), Is.EqualTo(new[] { "everything", "basic", "tools", "vision" }));
        }
    }

    [Test]
    public void Targets_missing_less_come_before_targets_missing_more()
    {
        var request = new ChatRequest("see and act") { RequiredCapabilities = LlmCapabilities.Tools | LlmCapabilities.Vision | LlmCapabilities.Reasoning };
        RoutingTargetInfo[] targets = [.. Targets()[1..], new("tools-vision", "openai") { Capabilities = Basic | LlmCapabilities.Tools | LlmCapabilities.Vision }];

        Assert.That(Order(RoutingStrategies.CapabilityMatch(), Context(targets, request)), Is.EqualTo(new[] { "tools-vision", "tools", "vision", "basic" }));
    }

    [Test]
    public void A_target_without_configured_capabilities_uses_its_catalog_entry()
    {
        var target = new RoutingTargetInfo("a", "openai") { CatalogEntry = new LlmProviders.Costs.ModelCatalogEntry { Capabilities = LlmCapabilities.Vision } };

        Assert.That(target.Capabilities, Is.EqualTo(LlmCapabilities.Vision));
    }
}
