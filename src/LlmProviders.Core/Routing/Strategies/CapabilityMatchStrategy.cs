using System.Numerics;
using Microsoft.Extensions.AI;

namespace LlmProviders.Routing;

/// <summary>
/// Orders the targets whose capabilities cover what the request needs first, those with the fewest extra capabilities (the
/// cheapest fit) before the others; targets that lack something follow, the fewest missing first; ties keep the configured order.
/// </summary>
/// <remarks>
/// What the request needs: <see cref="ChatRequest.RequiredCapabilities"/>, plus <see cref="LlmCapabilities.Tools"/> when it carries
/// tools, <see cref="LlmCapabilities.Vision"/> when a message has image content, and <see cref="LlmCapabilities.JsonSchema"/> when its
/// response format has a JSON schema.
/// </remarks>
internal sealed class CapabilityMatchStrategy : KeyedRoutingStrategy
{
    public static CapabilityMatchStrategy Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => RoutingStrategyNames.CapabilityMatch;

    /// <summary>Gets the capabilities a request needs: the ones it requires plus the ones its content implies.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The capabilities.</returns>
    internal static LlmCapabilities GetNeededCapabilities(ChatRequest request)
    {
        var needs = request.RequiredCapabilities;
        if (request.Tools is { Count: > 0 })
        {
            needs |= LlmCapabilities.Tools;
        }

        if (request.ResponseFormat is ChatResponseFormatJson { Schema: not null })
        {
            needs |= LlmCapabilities.JsonSchema;
        }

        if ((needs & LlmCapabilities.Vision) == 0 && HasImage(request))
        {
            needs |= LlmCapabilities.Vision;
        }

        return needs;
    }

    /// <inheritdoc />
    protected override long PrepareCall(in RoutingStrategyContext context, System.ReadOnlySpan<int> order) =>
        (long)GetNeededCapabilities(context.Request);

    /// <inheritdoc />
    protected override StrategySortKey KeyOf(in RoutingStrategyContext context, RoutingTargetInfo target, int index, long state)
    {
        int needs = (int)state;
        int has = (int)target.Capabilities;
        int missing = BitOperations.PopCount((uint)(needs & ~has));
        int extra = BitOperations.PopCount((uint)(has & ~needs));
        return missing == 0 ? new(0, extra) : new(1, missing, extra);
    }

    private static bool HasImage(ChatRequest request)
    {
        var messages = request.Messages;
        for (int i = 0; i < messages.Count; i++)
        {
            var contents = messages[i].Contents;
            for (int j = 0; j < contents.Count; j++)
            {
                switch (contents[j])
                {
                    case DataContent data when data.HasTopLevelMediaType("image"):
                    case UriContent uri when uri.HasTopLevelMediaType("image"):
                        return true;
                }
            }
        }

        return false;
    }
}
