namespace LlmProviders.Routing;

/// <summary>Orders by the attempts in flight on each target (fewest first), then the configured order.</summary>
internal sealed class LeastBusyStrategy : KeyedRoutingStrategy
{
    public static LeastBusyStrategy Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => RoutingStrategyNames.LeastBusy;

    /// <inheritdoc />
    protected override StrategySortKey KeyOf(in RoutingStrategyContext context, RoutingTargetInfo target, int index, long state) =>
        new(target.InFlight);
}
