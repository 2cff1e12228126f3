using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Testing;
using LlmProviders.Tests.Routing;
using LlmProviders.Tools;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Tools;

public class ToolInvocationLoopTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private static ChatRequest Question() => new("What is the weather and the time in Paris?");

    private static LlmToolLoopResult Loop(ChatResult result)
    {
        Assert.That(result, Is.TypeOf<LlmToolLoopResult>());
        return (LlmToolLoopResult)result;
    }

    private static List<FunctionResultContent> ToolResults(List<ChatMessage> messages) =>
        messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();

    [Test]
    public async Task Three_step_loop_runs_each_tool_and_sums_usage_and_cost_over_every_model_call()
    {
        var weatherCities = new List<string>();
        var timeZones = new List<string>();
        var tools = new LlmToolRegistry()
            .Register("get_weather", (string city) => { weatherCities.Add(city); return $"Sunny, 20°C in {city}"; }, "Gets the weather of a city.")
            .Register("get_time", (string timezone) => { timeZones.Add(timezone); return "14:05"; }, "Gets the time in a time zone.");
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(10, 5, 0.001m, ("get_weather", """{"city":"Paris"}""")))
            .Then(ToolScriptProvider.Calls(20, 6, 0.002m, ("get_time", """{"timezone":"Europe/Paris"}""")))
            .Then(ToolScriptProvider.Text("Sunny and 20°C; it is 14:05.", 30, 7, 0.003m));
        var provider = model.WithToolInvocation(tools);

        var result = Loop(await provider.ChatAsync(Question()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Text, Is.EqualTo("Sunny and 20°C; it is 14:05."));
            Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
            Assert.That(weatherCities, Is.EqualTo(new[] { "Paris" }));
            Assert.That(timeZones, Is.EqualTo(new[] { "Europe/Paris" }));
            Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(60));
            Assert.That(result.Usage.OutputTokenCount, Is.EqualTo(18));
            Assert.That(result.Usage.TotalTokenCount, Is.EqualTo(78));
            Assert.That(result.Cost, Is.EqualTo(0.006m));
            Assert.That(result.Iterations, Is.EqualTo(3));
            Assert.That(result.MaxIterationsReached, Is.False);
            Assert.That(result.Steps.Select(s => s.Response.Cost), Is.EqualTo(new decimal?[] { 0.001m, 0.002m, 0.003m }));
            Assert.That(result.Steps[0].ToolResults.Single().Result?.ToString(), Does.Contain("Sunny, 20°C in Paris"));
            Assert.That(result.Messages.Select(m => m.Role), Is.EqualTo(new[] { ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant }));
        }

        // The second model call carries the question, the assistant's call and the tool's result (same call id), in order.
        var second = model.Requests[1].Messages;
        var call = second[1].Contents.OfType<FunctionCallContent>().Single();
        var toolResult = second[2].Contents.OfType<FunctionResultContent>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Select(m => m.Role), Is.EqualTo(new[] { ChatRole.User, ChatRole.Assistant, ChatRole.Tool }));
            Assert.That(call.Name, Is.EqualTo("get_weather"));
            Assert.That(toolResult.CallId, Is.EqualTo(call.CallId));
            Assert.That(toolResult.Result?.ToString(), Does.Contain("Sunny, 20°C in Paris"));
            Assert.That(model.Requests[2].Messages, Has.Count.EqualTo(5));
            Assert.That(model.Requests[0].Tools!.Select(t => t.Name), Is.EquivalentTo(new[] { "get_weather", "get_time" }));
        }
    }

    [Test]
    public async Task Loop_cost_is_unknown_when_one_step_cost_is_unknown()
    {
        var tools = new LlmToolRegistry().Register("get_weather", (string city) => "Sunny");
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(10, 5, null, ("get_weather", """{"city":"Paris"}""")))
            .Then(ToolScriptProvider.Text("Sunny.", 20, 2, 0.002m));

        var result = await model.WithToolInvocation(tools).ChatAsync(Question());

        Assert.That(result.Cost, Is.Null, "never a silent partial sum");
        Assert.That(result.IsCostKnown, Is.False);
    }

    [Test]
    public async Task Request_functions_are_offered_and_run_with_the_registered_tools_and_the_request_is_not_changed()
    {
        int requestToolRuns = 0;
        var tools = new LlmToolRegistry().Register("get_weather", (string city) => "Sunny");
        var request = Question();
        request.Tools = [AIFunctionFactory.Create((string timezone) => { requestToolRuns++; return "14:05"; }, "get_time")];
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("get_time", """{"timezone":"UTC"}""")))
            .Then(ToolScriptProvider.Text("It is 14:05.", 1, 1, 0m));

        var result = await model.WithToolInvocation(tools).ChatAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Text, Is.EqualTo("It is 14:05."));
            Assert.That(requestToolRuns, Is.EqualTo(1));
            Assert.That(model.Requests[0].Tools!.Select(t => t.Name), Is.EquivalentTo(new[] { "get_time", "get_weather" }));
            Assert.That(request.Tools, Has.Count.EqualTo(1), "the caller's tools list is not changed");
            Assert.That(request.Messages, Has.Count.EqualTo(1), "the caller's conversation is not changed");
        }
    }

    [Test]
    public async Task Several_calls_run_in_parallel_up_to_the_bound_and_results_keep_the_call_order([Values(1, 2, 4)] int bound)
    {
        int running = 0, maxRunning = 0, arrived = 0;
        var allArrivedOrBound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tools = new LlmToolRegistry().Register("slow", async (int n) =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            if (Interlocked.Increment(ref arrived) == bound)
            {
                allArrivedOrBound.TrySetResult();
            }

            await release.Task;
            Interlocked.Decrement(ref running);
            return "done " + n;
        });
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("slow", """{"n":1}"""), ("slow", """{"n":2}"""), ("slow", """{"n":3}"""), ("slow", """{"n":4}""")))
            .Then(ToolScriptProvider.Text("All done.", 1, 1, 0m));
        var provider = model.WithToolInvocation(tools, new LlmToolInvocationOptions { MaxConcurrentInvocations = bound });

        var call = provider.ChatAsync(Question());
        await allArrivedOrBound.Task.WaitAsync(Guard);
        int runningAtBound = Volatile.Read(ref running);
        release.SetResult();
        var result = Loop(await call.WaitAsync(Guard));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(runningAtBound, Is.EqualTo(bound), "as many calls run at once as the bound allows");
            Assert.That(maxRunning, Is.EqualTo(bound), "never more");
            Assert.That(result.Steps[0].ToolResults.Select(r => r.Result?.ToString()), Is.EqualTo(new[] { "done 1", "done 2", "done 3", "done 4" }));
            Assert.That(result.Text, Is.EqualTo("All done."));
        }
    }

    [Test]
    public async Task A_tool_that_throws_sends_a_generic_error_to_the_model_and_the_loop_goes_on()
    {
        var tools = new LlmToolRegistry().Register("get_weather", string (string city) => throw new InvalidOperationException("database password rejected"));
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("get_weather", """{"city":"Paris"}""")))
            .Then(ToolScriptProvider.Text("Sorry, the weather service is down.", 1, 1, 0m));

        var result = Loop(await model.WithToolInvocation(tools).ChatAsync(Question()));

        var sent = ToolResults(model.Requests[1].Messages).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Text, Is.EqualTo("Sorry, the weather service is down."));
            Assert.That(sent.Result, Is.EqualTo("Error: the tool 'get_weather' failed."));
            Assert.That(sent.Exception, Is.TypeOf<InvalidOperationException>());
            Assert.That(sent.Result?.ToString(), Does.Not.Contain("password"), "details stay out unless IncludeDetailedErrors");
        }
    }

    [Test]
    public async Task With_detailed_errors_the_exception_message_goes_to_the_model()
    {
        var tools = new LlmToolRegistry().Register("get_weather", string (string city) => throw new InvalidOperationException("city not covered"));
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("get_weather", """{"city":"Atlantis"}""")))
            .Then(ToolScriptProvider.Text("Atlantis is not covered.", 1, 1, 0m));

        await model.WithToolInvocation(tools, new LlmToolInvocationOptions { IncludeDetailedErrors = true }).ChatAsync(Question());

        Assert.That(ToolResults(model.Requests[1].Messages).Single().Result, Is.EqualTo("Error: the tool 'get_weather' failed: city not covered"));
    }

    [Test]
    public void With_ThrowOnToolError_the_tool_exception_reaches_the_caller_and_the_model_is_not_called_again()
    {
        var tools = new LlmToolRegistry().Register("get_weather", string (string city) => throw new InvalidOperationException("boom"));
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("get_weather", """{"city":"Paris"}"""), ("get_weather", """{"city":"Lyon"}""")))
            .Then(ToolScriptProvider.Text("unused", 1, 1, 0m));
        var provider = model.WithToolInvocation(tools, new LlmToolInvocationOptions { ThrowOnToolError = true });

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => provider.ChatAsync(Question()));

        Assert.That(ex!.Message, Is.EqualTo("boom"));
        Assert.That(model.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Invalid_arguments_JSON_is_reported_to_the_model_without_running_the_tool()
    {
        int runs = 0;
        var tools = new LlmToolRegistry().Register("get_weather", (string city) => { runs++; return "Sunny"; });
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("get_weather", """{"city":"Par""")))
            .Then(ToolScriptProvider.Text("Let me try again.", 1, 1, 0m));

        await model.WithToolInvocation(tools).ChatAsync(Question());

        var sent = ToolResults(model.Requests[1].Messages).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(runs, Is.Zero);
            Assert.That(sent.Result?.ToString(), Does.StartWith("Error: the arguments of this call to 'get_weather' could not be read"));
            Assert.That(sent.Result?.ToString(), Does.Contain("one JSON object"));
            Assert.That(sent.Exception, Is.Not.Null);
        }
    }

    [Test]
    public async Task Arguments_that_do_not_fit_the_parameters_are_reported_as_a_tool_error()
    {
        var tools = new LlmToolRegistry().Register("get_weather", (string city) => "Sunny");
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("get_weather", """{"town":"Paris"}""")))
            .Then(ToolScriptProvider.Text("Retrying.", 1, 1, 0m));

        await model.WithToolInvocation(tools, new LlmToolInvocationOptions { IncludeDetailedErrors = true }).ChatAsync(Question());

        var sent = ToolResults(model.Requests[1].Messages).Single();
        Assert.That(sent.Result?.ToString(), Does.StartWith("Error: the tool 'get_weather' failed: "));
        Assert.That(sent.Exception, Is.InstanceOf<ArgumentException>());
    }

    [Test]
    public async Task An_unknown_tool_is_reported_to_the_model_with_the_tools_it_may_call()
    {
        var tools = new LlmToolRegistry()
            .Register("get_weather", (string city) => "Sunny")
            .Register("get_time", (string timezone) => "14:05");
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("get_forecast", """{"city":"Paris"}""")))
            .Then(ToolScriptProvider.Text("I can only give today's weather.", 1, 1, 0m));

        var result = await model.WithToolInvocation(tools).ChatAsync(Question());

        var sent = ToolResults(model.Requests[1].Messages).Single().Result?.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Text, Is.EqualTo("I can only give today's weather."));
            Assert.That(sent, Does.StartWith("Error: there is no tool named 'get_forecast'."));
            Assert.That(sent, Does.Contain("get_weather").And.Contain("get_time"));
        }
    }

    [Test]
    public async Task Max_iterations_stops_the_loop_and_returns_the_last_answer_with_its_calls_not_run()
    {
        int runs = 0;
        var tools = new LlmToolRegistry().Register("get_weather", (string city) => { runs++; return "Sunny"; });
        var model = new ToolScriptProvider { Repeat = ToolScriptProvider.Calls(10, 1, 0.001m, ("get_weather", """{"city":"Paris"}""")) };

        var result = Loop(await model.WithToolInvocation(tools, new LlmToolInvocationOptions { MaxIterations = 3 }).ChatAsync(Question()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.Requests, Has.Count.EqualTo(3));
            Assert.That(runs, Is.EqualTo(2), "the calls of the last answer are left to the caller");
            Assert.That(result.MaxIterationsReached, Is.True);
            Assert.That(result.Iterations, Is.EqualTo(3));
            Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
            Assert.That(result.ToolCalls, Has.Count.EqualTo(1));
            Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(30));
            Assert.That(result.Cost, Is.EqualTo(0.003m));
        }
    }

    [Test]
    public async Task A_call_to_a_tool_the_request_only_declares_ends_the_loop_for_the_caller_to_handle()
    {
        var request = Question();
        request.Tools = [AIFunctionFactory.CreateDeclaration("ask_user", "Asks the user.", JsonDocument.Parse("""{"type":"object"}""").RootElement)];
        var model = new ToolScriptProvider().Then(ToolScriptProvider.Calls(1, 1, 0m, ("ask_user", "{}")));

        var tools = new LlmToolRegistry().Register("get_weather", (string city) => "Sunny");

        var result = Loop(await model.WithToolInvocation(tools).ChatAsync(request));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ToolCalls.Single().Name, Is.EqualTo("ask_user"));
            Assert.That(result.Iterations, Is.EqualTo(1));
            Assert.That(result.MaxIterationsReached, Is.False);
        }
    }

    [Test]
    public async Task A_required_tool_mode_applies_to_the_first_call_only()
    {
        var tools = new LlmToolRegistry().Register("get_weather", (string city) => "Sunny");
        var request = Question();
        request.ToolMode = ChatToolMode.RequireAny;
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("get_weather", """{"city":"Paris"}""")))
            .Then(ToolScriptProvider.Text("Sunny.", 1, 1, 0m));

        await model.WithToolInvocation(tools).ChatAsync(request);

        Assert.That(model.Requests[0].ToolMode, Is.EqualTo(ChatToolMode.RequireAny));
        Assert.That(model.Requests[1].ToolMode, Is.Null);
    }

    [Test]
    public async Task Without_any_tool_the_call_passes_straight_through()
    {
        var model = new ToolScriptProvider().Then(ToolScriptProvider.Text("Hi.", 1, 1, 0m));

        var result = await model.WithToolInvocation(new LlmToolRegistry()).ChatAsync(Question());

        Assert.That(result, Is.Not.TypeOf<LlmToolLoopResult>());
        Assert.That(result.Text, Is.EqualTo("Hi."));
    }

    [Test]
    public async Task Streaming_loop_passes_text_on_as_it_arrives_runs_the_tools_and_ends_with_summed_usage_and_cost()
    {
        var cities = new List<string>();
        var tools = new LlmToolRegistry().Register("get_weather", (string city) => { cities.Add(city); return "Sunny"; });
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(10, 5, 0.001m, ("get_weather", """{"city":"Paris"}""")))
            .Then(ToolScriptProvider.Calls(20, 6, 0.002m, ("get_weather", """{"city":"Lyon"}""")))
            .Then(ToolScriptProvider.Text("Sunny in both cities.", 30, 7, 0.003m));

        var updates = new List<ChatStreamUpdate>();
        await foreach (var update in model.WithToolInvocation(tools).StreamAsync(Question()))
        {
            updates.Add(update);
        }

        var final = updates[^1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cities, Is.EqualTo(new[] { "Paris", "Lyon" }));
            Assert.That(updates.Count(u => u.IsFinal), Is.EqualTo(1), "one final update for the whole loop");
            Assert.That(string.Concat(updates.Where(u => !u.IsFinal).Select(u => u.Text)), Is.EqualTo("Sunny in both cities. "));
            Assert.That(final.IsFinal, Is.True);
            Assert.That(final.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
            Assert.That(final.Usage!.InputTokenCount, Is.EqualTo(60));
            Assert.That(final.Usage.OutputTokenCount, Is.EqualTo(18));
            Assert.That(final.Cost, Is.EqualTo(0.006m));
            Assert.That(final.AdditionalProperties![LlmToolLoopProperties.Iterations], Is.EqualTo(3));
            Assert.That(final.AdditionalProperties[LlmToolLoopProperties.MaxIterationsReached], Is.EqualTo(false));
            Assert.That(ToolResults(model.Requests[2].Messages).Select(r => r.Result?.ToString()), Is.EqualTo(new[] { "Sunny", "Sunny" }));
            Assert.That(model.Requests[1].Messages[1].Contents.OfType<FunctionCallContent>().Single().Arguments!["city"]?.ToString(), Is.EqualTo("Paris"));
        }
    }

    [Test]
    public async Task Streaming_loop_stops_at_max_iterations_and_says_so()
    {
        var tools = new LlmToolRegistry().Register("get_weather", (string city) => "Sunny");
        var model = new ToolScriptProvider { Repeat = ToolScriptProvider.Calls(1, 1, 0m, ("get_weather", """{"city":"Paris"}""")) };

        var updates = new List<ChatStreamUpdate>();
        await foreach (var update in model.WithToolInvocation(tools, new LlmToolInvocationOptions { MaxIterations = 2 }).StreamAsync(Question()))
        {
            updates.Add(update);
        }

        Assert.That(model.Requests, Has.Count.EqualTo(2));
        Assert.That(updates[^1].ToolCalls, Has.Count.EqualTo(1));
        Assert.That(updates[^1].AdditionalProperties![LlmToolLoopProperties.MaxIterationsReached], Is.EqualTo(true));
    }

    [Test]
    public async Task Cancellation_while_a_tool_runs_stops_the_loop_without_another_model_call()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tools = new LlmToolRegistry().Register("wait", async (CancellationToken token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        });
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("wait", "{}"), ("wait", "{}")))
            .Then(ToolScriptProvider.Text("unused", 1, 1, 0m));
        using var cts = new CancellationTokenSource();

        var call = model.WithToolInvocation(tools).ChatAsync(Question(), cts.Token);
        await started.Task.WaitAsync(Guard);
        await cts.CancelAsync();

        Assert.That(async () => await call.WaitAsync(Guard), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(model.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Cancellation_of_a_streamed_loop_while_a_tool_runs_ends_the_stream_without_another_model_call()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tools = new LlmToolRegistry().Register("wait", async (CancellationToken token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        });
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("wait", "{}")))
            .Then(ToolScriptProvider.Text("unused", 1, 1, 0m));
        using var cts = new CancellationTokenSource();

        var drain = Task.Run(async () =>
        {
            await foreach (var update in model.WithToolInvocation(tools).StreamAsync(Question(), cts.Token))
            {
                _ = update;
            }
        });
        await started.Task.WaitAsync(Guard);
        await cts.CancelAsync();

        Assert.That(async () => await drain.WaitAsync(Guard), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(model.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_tool_error_in_a_streamed_loop_goes_back_to_the_model()
    {
        var tools = new LlmToolRegistry().Register("get_weather", string (string city) => throw new InvalidOperationException("down"));
        var model = new ToolScriptProvider()
            .Then(ToolScriptProvider.Calls(1, 1, 0m, ("get_weather", """{"city":"Paris"}""")))
            .Then(ToolScriptProvider.Text("The service is down.", 1, 1, 0m));

        var text = new System.Text.StringBuilder();
        await foreach (var update in model.WithToolInvocation(tools).StreamAsync(Question()))
        {
            text.Append(update.Text);
        }

        Assert.That(text.ToString(), Is.EqualTo("The service is down. "));
        Assert.That(ToolResults(model.Requests[1].Messages).Single().Result, Is.EqualTo("Error: the tool 'get_weather' failed."));
    }

    [Test]
    public async Task Each_model_call_of_the_loop_is_routed_on_its_own_so_a_failure_fails_over_mid_loop()
    {
        var tools = new LlmToolRegistry().Register("get_weather", (string city) => "Sunny");
        var primary = new ToolScriptProvider("primary")
            .Then(ToolScriptProvider.Calls(10, 1, 0.001m, ("get_weather", """{"city":"Paris"}""")))
            .Then(ToolScriptProvider.Fail(ChainTestKit.Unavailable("primary")));
        var backup = new ToolScriptProvider("backup").Then(ToolScriptProvider.Text("Sunny in Paris.", 20, 2, 0.002m));
        var router = ChainTestKit.Chain(primary, backup);

        var result = Loop(await router.WithToolInvocation(tools).ChatAsync(Question()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Text, Is.EqualTo("Sunny in Paris."));
            Assert.That(result.ProviderName, Is.EqualTo("backup"));
            Assert.That(result.Steps[0].Response.ProviderName, Is.EqualTo("primary"));
            Assert.That(ToolResults(backup.Requests[0].Messages).Single().Result?.ToString(), Is.EqualTo("Sunny"));
            Assert.That(result.Usage!.InputTokenCount, Is.EqualTo(30));
        }
    }

    [Test]
    public void Invalid_options_are_refused_with_the_option_and_the_fix()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ToolScriptProvider().WithToolInvocation(
            new LlmToolRegistry(), new LlmToolInvocationOptions { MaxIterations = 0, MaxConcurrentInvocations = -1 }));

        Assert.That(ex!.Message, Does.Contain("MaxIterations is 0; it must be 1 or more").And.Contain("MaxConcurrentInvocations is -1"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
