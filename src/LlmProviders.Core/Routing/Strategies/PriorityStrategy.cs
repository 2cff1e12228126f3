namespace LlmProviders.Routing;

/// <summary>Orders by <see cref="RoutingTargetInfo.Priority"/> (lower first), then the configured order.</summary>
internal sealed class PriorityStrategy : KeyedRoutingStrategy
{
    public static PriorityStrategy Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => RoutingStrategyNames.Priority;

    /// <inheritdoc />
    protected override StrategySortKey KeyOf(in RoutingStrategyContext context, RoutingTargetInfo target, int index, long state) =>
        new(target.Priority);
}
