using System;
using System.Linq;
using LlmProviders.Routing;

namespace LlmProviders.Tests.Routing.Management;

/// <summary><see cref="ILlmProviderManager.EnableProvider"/>: a cloud provider from its key, through a registered factory.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class EnableProviderTests
{
    private const string Key = "sk-test-0123456789abcdefghij";

    private readonly FakeFactory _openai = new(LlmProviderKinds.OpenAI);
    private readonly FakeFactory _google = new(LlmProviderKinds.Google);
    private readonly CapturingLogger _logger = new();

    private ProviderRegistry Registry(params ILlmProvider[] configured) =>
        ManagementTestKit.Registry(configured, [_openai, _google], logger: _logger);

    [Test]
    public void Builds_the_provider_with_the_key_under_the_kinds_usual_name_and_adds_it()
    {
        var registry = Registry();

        var provider = registry.EnableProvider("openai", Key);

        Assert.That(_openai.Calls.Single(), Is.EqualTo(("openai", Key)));
        Assert.That(provider, Is.SameAs(_openai.LastBuilt));
        Assert.That(registry.Resolve("openai"), Is.SameAs(provider));
        Assert.That(registry.ListProviders().Single().Source, Is.EqualTo(LlmProviderSource.Runtime));
    }

    [Test]
    public void Google_is_named_gemini_by_default_as_AddGemini_does()
    {
        var registry = Registry();

        var provider = registry.EnableProvider(LlmProviderKinds.Google, Key);

        Assert.That(provider.Name, Is.EqualTo("gemini"));
    }

    [Test]
    public void A_given_name_is_used_and_the_kind_matches_ignoring_case()
    {
        var registry = Registry();

        var provider = registry.EnableProvider("OpenAI", Key, "openai-eu");

        Assert.That(provider.Name, Is.EqualTo("openai-eu"));
        Assert.That(_openai.Calls.Single().Name, Is.EqualTo("openai-eu"));
    }

    [Test]
    public void An_unknown_kind_is_refused_listing_the_registered_kinds()
    {
        var registry = Registry();

        var ex = Assert.Throws<ArgumentException>(() => registry.EnableProvider("anthropic", Key));

        Assert.That(ex!.Message, Does.Contain("No provider factory of kind 'anthropic' is registered"));
        Assert.That(ex.Message, Does.Contain("Registered kinds: openai, google."));
        Assert.That(ex.Message, Does.Contain("AddProviderFactory"));
        Assert.That(ex.Message, Does.Not.Contain(Key));
    }

    [Test]
    public void Without_factories_the_message_says_none()
    {
        var registry = ManagementTestKit.Registry([]);

        var ex = Assert.Throws<ArgumentException>(() => registry.EnableProvider("openai", Key));

        Assert.That(ex!.Message, Does.Contain("Registered kinds: none."));
    }

    [Test]
    public void A_taken_name_is_refused_before_building_and_without_the_key()
    {
        var registry = Registry(new FakeProvider("openai", LlmProviderKinds.OpenAI));

        var ex = Assert.Throws<InvalidOperationException>(() => registry.EnableProvider("openai", Key));

        Assert.That(ex!.Message, Does.Contain("'openai' (openai, configured) is already listed"));
        Assert.That(ex.Message, Does.Not.Contain(Key));
        Assert.That(_openai.Calls, Is.Empty);
    }

    [TestCase("")]
    [TestCase("   ")]
    public void An_empty_key_is_refused(string key)
    {
        var registry = Registry();

        var ex = Assert.Throws<ArgumentException>(() => registry.EnableProvider("openai", key));

        Assert.That(ex!.ParamName, Is.EqualTo("apiKey"));
        Assert.That(_openai.Calls, Is.Empty);
    }

    [Test]
    public void A_factory_failure_echoing_the_key_is_reported_without_it()
    {
        _openai.Failure = key => new ArgumentException($"The key '{key}' is malformed.");
        var registry = Registry();

        var ex = Assert.Throws<InvalidOperationException>(() => registry.EnableProvider("openai", Key));

        Assert.That(ex!.Message, Does.StartWith("The 'openai' factory could not build the provider 'openai':"));
        Assert.That(ex.ToString(), Does.Not.Contain(Key));
        Assert.That(registry.Resolve("openai"), Is.Null);
    }

    [Test]
    public void A_factory_failure_without_the_key_keeps_the_original_exception()
    {
        _openai.Failure = _ => new ArgumentException("BaseUrl is not absolute.");
        var registry = Registry();

        var ex = Assert.Throws<InvalidOperationException>(() => registry.EnableProvider("openai", Key));

        Assert.That(ex!.Message, Does.EndWith("BaseUrl is not absolute."));
        Assert.That(ex.InnerException, Is.TypeOf<ArgumentException>());
    }

    [Test]
    public void A_provider_with_another_name_than_asked_is_refused_and_disposed()
    {
        _openai.WrongName = "something-else";
        var registry = Registry();

        var ex = Assert.Throws<InvalidOperationException>(() => registry.EnableProvider("openai", Key));

        Assert.That(ex!.Message, Does.Contain("returned a provider named 'something-else' when asked for 'openai'"));
        Assert.That(_openai.LastBuilt!.Disposed, Is.True);
        Assert.That(registry.ListProviders(), Is.Empty);
    }

    [Test]
    public void The_key_never_reaches_the_log_or_the_status()
    {
        var registry = Registry();
        registry.Changed += (_, e) => Assert.That(e.Name, Does.Not.Contain(Key));

        registry.EnableProvider("openai", Key);

        Assert.That(_logger.Messages, Is.Not.Empty);
        Assert.That(string.Join("\n", _logger.Messages), Does.Not.Contain(Key));
        Assert.That(string.Join("\n", registry.ListProviders()), Does.Not.Contain(Key));
        Assert.That(_logger.Messages.Last(), Is.EqualTo("Provider 'openai' (openai) enabled from an API key."));
    }

    [Test]
    public void The_first_factory_of_a_kind_wins()
    {
        var second = new FakeFactory("OPENAI");
        var registry = ManagementTestKit.Registry([], [_openai, second]);

        registry.EnableProvider("openai", Key);

        Assert.That(_openai.Calls, Has.Count.EqualTo(1));
        Assert.That(second.Calls, Is.Empty);
    }
}
