namespace LlmProviders.Routing;

/// <summary>
/// Orders by what this request would cost on each target (its prompt estimate in, its expected output out, at each model's prices),
/// cheapest first; targets of unknown cost go last; ties keep the configured order.
/// </summary>
internal sealed class LeastCostStrategy : KeyedRoutingStrategy
{
    public static LeastCostStrategy Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => RoutingStrategyNames.LeastCost;

    /// <inheritdoc />
    protected override StrategySortKey KeyOf(in RoutingStrategyContext context, RoutingTargetInfo target, int index, long state) =>
        context.EstimateCost(index) is { } cost ? new(0, (double)cost) : new(1);
}
