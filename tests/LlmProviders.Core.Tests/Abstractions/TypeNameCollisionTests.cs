using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Abstractions;

/// <summary>
/// SPEC M1: a user who imports LlmProviders and Microsoft.Extensions.AI (and the health-check namespace) must never hit
/// CS0104 (an ambiguous simple name).
/// </summary>
[TestFixture]
public sealed class TypeNameCollisionTests
{
    // Well-known public names of namespaces our users import beside ours, whose assemblies the core does not reference:
    // Microsoft.Extensions.AI (the implementation package) and Microsoft.Extensions.Diagnostics.HealthChecks.
    private static readonly string[] OtherKnownNames =
    [
        "ChatClientBuilder", "FunctionInvokingChatClient", "LoggingChatClient", "OpenTelemetryChatClient", "CachingChatClient",
        "DistributedCachingChatClient", "ConfigureOptionsChatClient", "EmbeddingGeneratorBuilder", "ChatClientStructuredOutputExtensions",
        "HealthStatus", "HealthCheckResult", "IHealthCheck", "HealthReport", "HealthReportEntry", "HealthCheckContext",
        "HealthCheckRegistration", "HealthCheckService", "HealthCheckServiceOptions", "IHealthCheckPublisher", "HealthCheckPublisherOptions",
    ];

    [Test]
    public void No_exported_type_shares_a_simple_name_with_Microsoft_Extensions_AI()
    {
        var ours = ExportedNames(typeof(ChatRequest).Assembly);
        var theirs = ExportedNames(typeof(ChatMessage).Assembly);

        var collisions = ours.Keys.Intersect(theirs.Keys).Select(n => $"{ours[n]} vs {theirs[n]}").ToList();

        Assert.That(theirs.Keys, Has.Member("ChatMessage").And.Member("ChatResponse"), "the reflection found Microsoft.Extensions.AI's types");
        Assert.That(collisions, Is.Empty);
    }

    [Test]
    public void No_exported_type_shares_a_simple_name_with_health_checks_or_the_ai_implementation_package()
    {
        var ours = ExportedNames(typeof(ChatRequest).Assembly);

        Assert.That(ours.Keys.Intersect(OtherKnownNames), Is.Empty);
    }

    [Test]
    public void Both_namespaces_can_be_used_together()
    {
        // Compiles only while the names stay apart: the point of the rule.
        ChatRequest request = new([new ChatMessage(ChatRole.User, "hi")]) { ReasoningEffort = ReasoningEffort.Low };
        ChatResult result = new(new ChatMessage(ChatRole.Assistant, "hello")) { FinishReason = ChatFinishReason.Stop };

        Assert.That((request.Messages.Count, result.Text), Is.EqualTo((1, "hello")));
    }

    private static Dictionary<string, string> ExportedNames(Assembly assembly)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type.IsNested)
            {
                continue; // nested types are reached through their parent, never imported by a using
            }

            string name = type.Name;
            int tick = name.IndexOf('`', StringComparison.Ordinal);
            names.TryAdd(tick < 0 ? name : name[..tick], type.FullName!);
        }

        return names;
    }
}
