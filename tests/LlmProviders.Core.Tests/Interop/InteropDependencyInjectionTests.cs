using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Routing;
using LlmProviders.Simulation;
using LlmProviders.Tests.Routing.Front;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Tests.Interop;

/// <summary>SPEC D1 and V13 in the container: the unkeyed IChatClient is the router, each provider is a keyed IChatClient, AddChatClient registers a client as a provider.</summary>
public sealed class InteropDependencyInjectionTests
{
    [Test]
    public async Task The_unkeyed_IChatClient_is_the_router()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("a").AddAnswering("b").AddRoute("default", "a", "b"));

        var client = services.GetRequiredService<IChatClient>();
        var response = await client.GetResponseAsync("hi");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.GetService<ILlmRouter>(), Is.SameAs(services.GetRequiredService<ILlmRouter>()));
            Assert.That(client.GetService<ILlmProvider>(), Is.SameAs(services.GetRequiredService<ILlmProvider>()));
            Assert.That(response.Text, Is.EqualTo("from a"));
            Assert.That(((ChatResult)response.RawRepresentation!).Trace!.RouteName, Is.EqualTo("default"));
            Assert.That(response.AdditionalProperties![LlmInteropPropertyNames.Trace], Is.InstanceOf<RoutingTrace>());
            Assert.That(client.GetService<ChatClientMetadata>()!.ProviderName, Is.EqualTo("llmproviders"));
        }
    }

    [Test]
    public async Task A_route_and_tags_are_chosen_through_ChatOptions_and_the_cost_read_back()
    {
        using var services = FrontTestKit.Build(b => b
            .AddAnswering("a")
            .AddSimulated("b", o => { o.ResponseText = "from b"; o.InputPricePerMillionTokens = 1_000_000m; })
            .AddRoute("default", "a")
            .AddRoute("code_generation", "b"));
        var chat = services.GetRequiredService<IChatClient>();

        // As in the README.
        var response = await chat.GetResponseAsync("Refactor this method", new ChatOptions
        {
            AdditionalProperties = new()
            {
                [LlmInteropPropertyNames.RouteName] = "code_generation",
                [LlmInteropPropertyNames.TagPrefix + "workspace"] = "w-42",
            },
        });
        decimal? cost = response.AdditionalProperties?.TryGetValue(LlmInteropPropertyNames.Cost, out decimal c) == true ? c : null;
        var trace = ((ChatResult)response.RawRepresentation!).Trace;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Text, Is.EqualTo("from b"));
            Assert.That(trace!.RouteName, Is.EqualTo("code_generation"));
            Assert.That(cost, Is.EqualTo(((ChatResult)response.RawRepresentation!).Cost).And.GreaterThan(0m));
        }
    }

    [Test]
    public void Adding_providers_twice_registers_one_unkeyed_IChatClient()
    {
        var collection = new ServiceCollection();
        collection.AddLlmProviders(b => b.AddSimulated("a"));
        collection.AddLlmProviders(b => b.AddSimulated("b"));

        Assert.That(collection.Count(d => d.ServiceType == typeof(IChatClient) && !d.IsKeyedService), Is.EqualTo(1));
    }

    [Test]
    public async Task Each_provider_is_a_keyed_IChatClient_under_its_name()
    {
        using var services = FrontTestKit.Build(b => b.AddAnswering("a").AddAnswering("b"));

        var b = services.GetRequiredKeyedService<IChatClient>("b");
        var response = await b.GetResponseAsync("hi");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Text, Is.EqualTo("from b"));
            Assert.That(b.GetService<ILlmProvider>(), Is.SameAs(services.GetRequiredKeyedService<ILlmProvider>("b")));
            Assert.That(b.GetService<SimulatedProvider>()!.Name, Is.EqualTo("b"));
            Assert.That(services.GetRequiredKeyedService<IChatClient>("a"), Is.Not.SameAs(b).And.SameAs(FirstA(services)), "one per provider");
        }
    }

    private static IChatClient FirstA(IServiceProvider services) => services.GetRequiredKeyedService<IChatClient>("a");

    [Test]
    public void A_client_registered_before_is_not_replaced()
    {
        var mine = new TestChatClient();
        var collection = new ServiceCollection();
        collection.AddSingleton<IChatClient>(mine);
        collection.AddLlmProviders(b => b.AddSimulated("a"));
        using var services = collection.BuildServiceProvider();

        Assert.That(services.GetRequiredService<IChatClient>(), Is.SameAs(mine));
    }

    [Test]
    public async Task AddChatClient_registers_a_client_as_a_provider_with_its_options()
    {
        var client = new TestChatClient();
        using var services = FrontTestKit.Build(b => b.AddChatClient("mine", _ => client, o =>
        {
            o.Kind = LlmProviderKinds.OpenAI;
            o.DefaultModel = "gpt-5-mini";
            o.IsLocal = true;
        }));

        var provider = services.GetRequiredKeyedService<ILlmProvider>("mine");
        var result = await provider.ChatAsync(new ChatRequest("hi"));
        var keyed = services.GetRequiredKeyedService<IChatClient>("mine");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => services.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
            Assert.That((provider.Name, provider.Kind, provider.IsLocal), Is.EqualTo(("mine", LlmProviderKinds.OpenAI, true)));
            Assert.That(services.GetServices<LlmProviderRegistration>().Single(), Is.EqualTo(new LlmProviderRegistration("mine", LlmProviderKinds.OpenAI)));
            Assert.That(result.Text, Is.EqualTo("Hello from the client"));
            Assert.That(client.Calls.Single().Options!.ModelId, Is.EqualTo("gpt-5-mini"));
            Assert.That(keyed.GetService<TestChatClient>(), Is.SameAs(client));
        }
    }

    [Test]
    public void Invalid_chat_client_options_fail_at_start_naming_the_option()
    {
        using var services = FrontTestKit.Build(b => b.AddChatClient("mine", _ => new TestChatClient(), o =>
        {
            o.Capabilities = LlmCapabilities.Streaming;
            o.Models.Add(" ");
        }));

        var thrown = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(thrown!.Message, Does.Contain("Chat client provider 'mine': Capabilities (Streaming) lacks Chat")
            .And.Contain("Chat client provider 'mine': Models[0] is blank"));
    }

    [Test]
    public async Task A_failing_client_fails_over_to_a_healthy_one_through_a_route()
    {
        var failing = new TestChatClient { Failure = new HttpRequestException("Service Unavailable", null, HttpStatusCode.ServiceUnavailable) };
        var healthy = new TestChatClient();
        using var services = FrontTestKit.Build(b => b
            .AddChatClient("primary", _ => failing)
            .AddChatClient("backup", _ => healthy)
            .AddRoute("default", "primary", "backup"));

        var response = await services.GetRequiredService<IChatClient>().GetResponseAsync("hi");
        var trace = ((ChatResult)response.RawRepresentation!).Trace!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Text, Is.EqualTo("Hello from the client"));
            Assert.That(response.AdditionalProperties![LlmInteropPropertyNames.ProviderName], Is.EqualTo("backup"));
            Assert.That(trace.Attempts.Select(a => a.ProviderName), Is.EqualTo(new[] { "primary", "backup" }));
            Assert.That(trace.Attempts[0].Error, Is.InstanceOf<ProviderUnavailableException>());
            Assert.That((failing.Calls.Count, healthy.Calls.Count), Is.EqualTo((1, 1)));
        }
    }

    [Test]
    public async Task A_failing_client_stream_fails_over_before_the_first_token()
    {
        var failing = new TestChatClient { Failure = new HttpRequestException("busy", null, HttpStatusCode.TooManyRequests) };
        using var services = FrontTestKit.Build(b => b
            .AddChatClient("primary", _ => failing)
            .AddChatClient("backup", _ => new TestChatClient())
            .AddRoute("default", "primary", "backup"));

        var updates = new System.Collections.Generic.List<ChatResponseUpdate>();
        await foreach (var update in services.GetRequiredService<IChatClient>().GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        Assert.That(updates.ToChatResponse().Text, Is.EqualTo("Hello world"));
    }

    [Test]
    public async Task A_client_provider_with_a_catalog_kind_is_priced_by_the_router()
    {
        var client = new TestChatClient
        {
            Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
            {
                ModelId = "gpt-5-mini",
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 1_000_000, TotalTokenCount = 2_000_000 },
            },
        };
        using var services = FrontTestKit.Build(b => b.AddChatClient("mine", _ => client, o => o.Kind = LlmProviderKinds.OpenAI).AddRoute("default", "mine/gpt-5-mini"));

        var response = await services.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        // The catalog's list price for gpt-5-mini: $0.25 in, $2 out per million tokens.
        Assert.That(response.AdditionalProperties![LlmInteropPropertyNames.Cost], Is.EqualTo(2.25m));
    }
}
