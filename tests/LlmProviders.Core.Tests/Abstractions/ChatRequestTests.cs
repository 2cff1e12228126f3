using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Abstractions;

[TestFixture]
public sealed class ChatRequestTests
{
    [Test]
    public void Clone_copies_every_list_and_dictionary()
    {
        var original = Full();
        var clone = original.Clone();

        clone.Messages.Add(new ChatMessage(ChatRole.User, "more"));
        clone.StopSequences!.Add("STOP");
        clone.Tools!.Clear();
        clone.Tags!["user"] = "mallory";
        clone.Tags["new"] = "x";
        clone.AdditionalRequestFields!["extra"] = JsonDocument.Parse("1").RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(original.Messages, Has.Count.EqualTo(2));
            Assert.That(original.StopSequences, Is.EqualTo(new[] { "\n\n" }));
            Assert.That(original.Tools, Has.Count.EqualTo(1));
            Assert.That(original.Tags, Is.EqualTo(new Dictionary<string, string> { ["user"] = "alice", ["workspace"] = "acme" }));
            Assert.That(original.AdditionalRequestFields!.ContainsKey("extra"), Is.False);
        });
    }

    [Test]
    public void Clone_keeps_every_scalar_field()
    {
        var original = Full();

        var clone = original.Clone();

        Assert.Multiple(() =>
        {
            Assert.That(clone, Is.Not.SameAs(original));
            Assert.That(clone.Model, Is.EqualTo("gpt-4o"));
            Assert.That(clone.Temperature, Is.EqualTo(0.2f));
            Assert.That(clone.TopP, Is.EqualTo(0.9f));
            Assert.That(clone.TopK, Is.EqualTo(40));
            Assert.That(clone.MaxOutputTokens, Is.EqualTo(256));
            Assert.That(clone.Seed, Is.EqualTo(7));
            Assert.That(clone.RouteName, Is.EqualTo("cheap"));
            Assert.That(clone.PinnedProvider, Is.EqualTo("openai-main"));
            Assert.That(clone.Priority, Is.EqualTo(RequestPriority.High));
            Assert.That(clone.MaxCost, Is.EqualTo(0.01m));
            Assert.That(clone.MaxLatency, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(clone.CacheMode, Is.EqualTo(ResponseCacheMode.Bypass));
            Assert.That(clone.StreamInterruption, Is.EqualTo(StreamInterruptionPolicy.Restart));
            Assert.That(clone.AllowFallback, Is.False);
            Assert.That(clone.RequiredCapabilities, Is.EqualTo(original.RequiredCapabilities));
            Assert.That(clone.Messages, Is.EqualTo(original.Messages));
            Assert.That(clone.Messages, Is.Not.SameAs(original.Messages));
            Assert.That(clone.AdditionalRequestFields!["service_tier"].GetString(), Is.EqualTo("flex"));
        });
    }

    [Test]
    public void Clone_keeps_a_tag_dictionarys_comparer()
    {
        var original = new ChatRequest("hi") { Tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["User"] = "alice" } };

        var clone = original.Clone();

        Assert.That(clone.Tags!["user"], Is.EqualTo("alice"));
    }

    [Test]
    public void Clone_keeps_absent_lists_absent()
    {
        var clone = new ChatRequest("hi").Clone();

        Assert.Multiple(() =>
        {
            Assert.That(clone.StopSequences, Is.Null);
            Assert.That(clone.Tools, Is.Null);
            Assert.That(clone.Tags, Is.Null);
            Assert.That(clone.AdditionalRequestFields, Is.Null);
        });
    }

    [Test]
    public void Clone_of_a_derived_request_is_of_the_derived_type()
    {
        var original = new TaggedRequest { Marker = "m" };

        var clone = original.Clone();

        Assert.That(clone, Is.TypeOf<TaggedRequest>());
        Assert.That(((TaggedRequest)clone).Marker, Is.EqualTo("m"));
    }

    [Test]
    public void WithModel_returns_the_same_instance_for_the_same_model_or_none()
    {
        var request = new ChatRequest("hi") { Model = "gpt-4o" };

        Assert.That(request.WithModel("gpt-4o"), Is.SameAs(request));
        Assert.That(request.WithModel(null), Is.SameAs(request));
    }

    [Test]
    public void WithModel_returns_a_copy_for_another_model_and_leaves_the_original_alone()
    {
        var request = Full();

        var other = request.WithModel("gpt-4o-mini");

        Assert.Multiple(() =>
        {
            Assert.That(other, Is.Not.SameAs(request));
            Assert.That(other.Model, Is.EqualTo("gpt-4o-mini"));
            Assert.That(request.Model, Is.EqualTo("gpt-4o"));
            Assert.That(other.Temperature, Is.EqualTo(request.Temperature));
            Assert.That(other.Messages, Is.SameAs(request.Messages), "the copy shares the lists (the library never mutates them)");
        });
    }

    [Test]
    public void Constructors_set_the_conversation()
    {
        var one = new ChatRequest("hello");
        var many = new ChatRequest(new[] { new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "hi") });

        Assert.Multiple(() =>
        {
            Assert.That(one.Messages, Has.Count.EqualTo(1));
            Assert.That(one.Messages[0].Role, Is.EqualTo(ChatRole.User));
            Assert.That(one.Messages[0].Text, Is.EqualTo("hello"));
            Assert.That(many.Messages, Has.Count.EqualTo(2));
            Assert.That(new ChatRequest().Messages, Is.Empty);
            Assert.That(new ChatRequest().Priority, Is.EqualTo(RequestPriority.Normal));
            Assert.That(() => new ChatRequest((string)null!), Throws.ArgumentNullException);
            Assert.That(() => new ChatRequest((IEnumerable<ChatMessage>)null!), Throws.ArgumentNullException);
            Assert.That(() => one.Messages = null!, Throws.ArgumentNullException);
        });
    }

    private static ChatRequest Full() => new([new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "hi")])
    {
        Model = "gpt-4o",
        Temperature = 0.2f,
        TopP = 0.9f,
        TopK = 40,
        MaxOutputTokens = 256,
        StopSequences = ["\n\n"],
        Seed = 7,
        Tools = [AIFunctionFactory.Create(() => "sunny", "get_weather")],
        RouteName = "cheap",
        PinnedProvider = "openai-main",
        Priority = RequestPriority.High,
        AllowFallback = false,
        MaxCost = 0.01m,
        MaxLatency = TimeSpan.FromSeconds(3),
        CacheMode = ResponseCacheMode.Bypass,
        StreamInterruption = StreamInterruptionPolicy.Restart,
        Tags = new Dictionary<string, string> { ["user"] = "alice", ["workspace"] = "acme" },
        AdditionalRequestFields = new Dictionary<string, JsonElement> { ["service_tier"] = JsonDocument.Parse("\"flex\"").RootElement },
    };

    private sealed class TaggedRequest : ChatRequest
    {
        public string? Marker { get; set; }
    }
}
