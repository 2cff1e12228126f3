using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Simulation;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Simulation;

public class SimulatedProviderToolCallTests
{
    private static SimulatedProvider Provider() => new(new SimulatedProviderOptions
    {
        ResponseText = "Sunny.",
        ToolCalls = { new SimulatedToolCall { Name = "get_weather", Arguments = """{"location":"Paris"}""" } },
    });

    private static ChatRequest WithTools(params string[] names) => new("Weather in Paris?")
    {
        Tools = names.Select(n => (AITool)AIFunctionFactory.Create(() => "x", n)).ToList(),
    };

    [Test]
    public async Task Calls_the_scripted_tool_when_the_request_offers_it()
    {
        var result = await Provider().ChatAsync(WithTools("get_weather"));

        var call = result.ToolCalls.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
            Assert.That(call.Name, Is.EqualTo("get_weather"));
            Assert.That(call.Arguments!["location"]?.ToString(), Is.EqualTo("Paris"));
            Assert.That(call.CallId, Is.Not.Empty);
            Assert.That(result.Usage!.OutputTokenCount, Is.GreaterThan(0));
        }
    }

    [Test]
    public async Task Answers_with_text_once_the_tool_result_is_back_or_when_the_tool_is_not_offered()
    {
        var request = WithTools("get_weather");
        request.Messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather")]));
        request.Messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "Sunny")]));

        var afterResult = await Provider().ChatAsync(request);
        var notOffered = await Provider().ChatAsync(WithTools("get_time"));

        Assert.That(afterResult.Text, Is.EqualTo("Sunny."));
        Assert.That(notOffered.ToolCalls, Is.Empty);
    }

    [Test]
    public async Task A_stream_ends_with_the_tool_calls_on_its_final_update()
    {
        var updates = new List<ChatStreamUpdate>();
        await foreach (var update in Provider().StreamAsync(WithTools("get_weather")))
        {
            updates.Add(update);
        }

        Assert.That(updates, Has.Count.EqualTo(1));
        Assert.That(updates[0].IsFinal, Is.True);
        Assert.That(updates[0].ToolCalls!.Single().Name, Is.EqualTo("get_weather"));
    }

    [Test]
    public void A_scripted_call_without_a_name_or_with_arguments_that_are_not_an_object_is_refused()
    {
        var options = new SimulatedProviderOptions
        {
            ToolCalls = { new SimulatedToolCall { Name = "" }, new SimulatedToolCall { Name = "t", Arguments = "[1]" } },
        };

        var ex = Assert.Throws<ArgumentException>(() => new SimulatedProvider(options, "sim"));

        Assert.That(ex!.Message, Does.Contain("ToolCalls:0:Name is empty").And.Contain("ToolCalls:1:Arguments (tool 't') is not a JSON object"));
    }
}
