using System;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Abstractions;

[TestFixture]
public sealed class ChatResultTests
{
    [Test]
    public void Exposes_text_reasoning_and_tool_calls_of_the_message()
    {
        var call1 = new FunctionCallContent("c1", "get_weather");
        var call2 = new FunctionCallContent("c2", "get_time");
        var result = new ChatResult(new ChatMessage(ChatRole.Assistant, [
            new TextReasoningContent("Let me think. "),
            new TextContent("It is "),
            call1,
            new TextReasoningContent("Done."),
            new TextContent("sunny."),
            call2,
        ]));

        Assert.Multiple(() =>
        {
            Assert.That(result.Text, Is.EqualTo("It is sunny."));
            Assert.That(result.ReasoningText, Is.EqualTo("Let me think. Done."));
            Assert.That(result.ToolCalls, Is.EqualTo(new[] { call1, call2 }));
            Assert.That(result.ToString(), Is.EqualTo("It is sunny."));
        });
    }

    [Test]
    public void Is_empty_where_the_message_has_nothing()
    {
        var result = new ChatResult(new ChatMessage(ChatRole.Assistant, "hi"));

        Assert.Multiple(() =>
        {
            Assert.That(result.ReasoningText, Is.Empty);
            Assert.That(result.ToolCalls, Is.Empty);
            Assert.That(result.IsCostKnown, Is.False);
            Assert.That(result.Cost, Is.Null, "an unknown cost is null, never a silent zero");
        });
    }

    [Test]
    public void Reports_a_single_reasoning_part_as_is()
    {
        var result = new ChatResult(new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("only"), new TextReasoningContent("")]));

        Assert.That(result.ReasoningText, Is.EqualTo("only"));
    }

    [Test]
    public void Knows_its_cost_once_set()
    {
        var result = new ChatResult(new ChatMessage(ChatRole.Assistant, "hi")) { Cost = 0m };

        Assert.That(result.IsCostKnown, Is.True);
    }

    [Test]
    public void Follows_a_replaced_message_and_refuses_null()
    {
        var result = new ChatResult(new ChatMessage(ChatRole.Assistant, "a"));

        result.Message = new ChatMessage(ChatRole.Assistant, "b");

        Assert.That(result.Text, Is.EqualTo("b"));
        Assert.That(() => result.Message = null!, Throws.ArgumentNullException);
        Assert.That(() => new ChatResult(null!), Throws.ArgumentNullException);
    }
}
