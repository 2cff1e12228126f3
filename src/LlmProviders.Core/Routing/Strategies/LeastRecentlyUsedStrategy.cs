namespace LlmProviders.Routing;

/// <summary>Orders by when each target was last used: never-used first, then the oldest use; ties keep the configured order.</summary>
internal sealed class LeastRecentlyUsedStrategy : KeyedRoutingStrategy
{
    public static LeastRecentlyUsedStrategy Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => RoutingStrategyNames.LeastRecentlyUsed;

    /// <inheritdoc />
    protected override StrategySortKey KeyOf(in RoutingStrategyContext context, RoutingTargetInfo target, int index, long state) =>
        target.LastUsed is { } used ? new(1, used.UtcTicks) : new(0);
}
