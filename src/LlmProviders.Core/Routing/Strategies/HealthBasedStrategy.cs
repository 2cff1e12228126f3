namespace LlmProviders.Routing;

/// <summary>
/// Orders by health: unavailable targets (open circuit) last; then the highest <see cref="RoutingTargetInfo.HealthScore"/> (success
/// rate, lowered by the health monitor's score); then the fewest consecutive failures; ties keep the configured order.
/// </summary>
internal sealed class HealthBasedStrategy : KeyedRoutingStrategy
{
    public static HealthBasedStrategy Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => RoutingStrategyNames.HealthBased;

    /// <inheritdoc />
    protected override StrategySortKey KeyOf(in RoutingStrategyContext context, RoutingTargetInfo target, int index, long state) =>
        new(target.IsAvailable ? 0 : 1, -target.HealthScore, target.ConsecutiveFailures);
}
