using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Simulation;
using LlmProviders.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Tests.Tools;

public class ToolInvocationDependencyInjectionTests
{
    private static void WeatherModel(SimulatedProviderOptions o)
    {
        o.ToolCalls.Add(new SimulatedToolCall { Name = "get_weather", Arguments = """{"location":"New York"}""" });
        o.ResponseText = "It is sunny in New York.";
        o.InputPricePerMillionTokens = 1_000_000m;
        o.OutputPricePerMillionTokens = 1_000_000m;
    }

    [Test]
    public async Task AddTool_makes_the_unkeyed_provider_run_the_loop_over_the_router()
    {
        var locations = new List<string>();
        var services = new ServiceCollection();
        services.AddLlmProviders(b => b
            .AddSimulated("sim", WeatherModel)
            .AddTool("get_weather", (string location) => { locations.Add(location); return new { location, temperature = "20°C", condition = "Sunny" }; }, "Gets the weather."));
        using var sp = services.BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();

        var result = await sp.GetRequiredService<ILlmProvider>().ChatAsync(new ChatRequest("What's the weather in New York?"));

        var loop = (LlmToolLoopResult)result;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Text, Is.EqualTo("It is sunny in New York."));
            Assert.That(locations, Is.EqualTo(new[] { "New York" }));
            Assert.That(loop.Iterations, Is.EqualTo(2));
            Assert.That(result.Usage!.TotalTokenCount, Is.EqualTo(loop.Steps.Sum(s => s.Response.Usage!.TotalTokenCount)));
            Assert.That(result.Cost, Is.EqualTo(loop.Steps.Sum(s => s.Response.Cost)));
            Assert.That(result.ProviderName, Is.EqualTo("sim"));
        }
    }

    [Test]
    public async Task The_unkeyed_IChatClient_runs_the_loop_too()
    {
        var locations = new List<string>();
        var services = new ServiceCollection();
        services.AddLlmProviders(b => b
            .AddSimulated("sim", WeatherModel)
            .AddTool("get_weather", (string location) => { locations.Add(location); return "Sunny"; }));
        using var sp = services.BuildServiceProvider();

        var response = await sp.GetRequiredService<IChatClient>().GetResponseAsync("What's the weather in New York?");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Text, Is.EqualTo("It is sunny in New York."));
            Assert.That(locations, Is.EqualTo(new[] { "New York" }));
            Assert.That(response.RawRepresentation, Is.TypeOf<LlmToolLoopResult>());
        }
    }

    [Test]
    public async Task The_router_itself_stays_without_the_loop()
    {
        var services = new ServiceCollection();
        services.AddLlmProviders(b => b.AddSimulated("sim", WeatherModel).AddTool("get_weather", (string location) => "Sunny"));
        using var sp = services.BuildServiceProvider();
        var request = new ChatRequest("What's the weather in New York?") { Tools = [.. sp.GetRequiredService<LlmToolRegistry>().Tools] };

        var result = await sp.GetRequiredService<ILlmRouter>().ChatAsync(request);

        Assert.That(result, Is.Not.TypeOf<LlmToolLoopResult>());
        Assert.That(result.ToolCalls.Single().Name, Is.EqualTo("get_weather"), "the calls are left to the caller");
    }

    [Test]
    public async Task Tools_registered_on_the_registry_at_run_time_are_offered_to_later_calls()
    {
        var services = new ServiceCollection();
        services.AddLlmProviders(b => b.AddSimulated("sim", WeatherModel).AddToolInvocation());
        using var sp = services.BuildServiceProvider();
        var provider = sp.GetRequiredService<ILlmProvider>();
        var before = await provider.ChatAsync(new ChatRequest("Weather?"));

        sp.GetRequiredService<LlmToolRegistry>().Register("get_weather", (string location) => "Sunny");
        var after = await provider.ChatAsync(new ChatRequest("Weather?"));

        Assert.That(before, Is.Not.TypeOf<LlmToolLoopResult>(), "no tools: straight through");
        Assert.That(((LlmToolLoopResult)after).Iterations, Is.EqualTo(2));
    }

    [Test]
    public void Invalid_loop_options_fail_at_start_naming_the_option()
    {
        var services = new ServiceCollection();
        services.AddLlmProviders(b => b.AddSimulated("sim").AddToolInvocation(o => o.MaxIterations = 0));
        using var sp = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(ex!.Message, Does.Contain("MaxIterations is 0; it must be 1 or more"));
    }

    [Test]
    public void AddToolInvocation_twice_registers_one_loop_and_applies_both_configurations()
    {
        var services = new ServiceCollection();
        services.AddLlmProviders(b => b.AddSimulated("sim").AddToolInvocation(o => o.MaxIterations = 3));
        services.AddLlmProviders(b => b.AddToolInvocation(o => o.MaxConcurrentInvocations = 2));
        using var sp = services.BuildServiceProvider();

        var options = sp.GetRequiredService<IOptions<LlmToolInvocationOptions>>().Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(services.Count(d => d.ServiceType == typeof(ILlmProvider) && !d.IsKeyedService), Is.EqualTo(1));
            Assert.That(services.Count(d => d.ServiceType == typeof(LlmToolRegistry)), Is.EqualTo(1));
            Assert.That(options.MaxIterations, Is.EqualTo(3));
            Assert.That(options.MaxConcurrentInvocations, Is.EqualTo(2));
            Assert.That(sp.GetRequiredService<ILlmProvider>().Name, Is.EqualTo(sp.GetRequiredService<ILlmRouter>().Name));
        }
    }
}
