namespace LlmProviders.Routing;

/// <summary>
/// Orders by the tokens each target used in the last minute: first the targets under their tokens-per-minute quota, by the fraction
/// used; then the targets without a quota, by tokens used; last the targets at or over their quota; ties keep the configured order.
/// </summary>
internal sealed class TokenLoadStrategy : KeyedRoutingStrategy
{
    public static TokenLoadStrategy Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => RoutingStrategyNames.TokenLoad;

    /// <inheritdoc />
    protected override StrategySortKey KeyOf(in RoutingStrategyContext context, RoutingTargetInfo target, int index, long state)
    {
        long used = target.GetTokensUsedInLastMinute(context.Now);
        if (target.TokensPerMinuteQuota is { } quota)
        {
            double fraction = quota > 0 ? (double)used / quota : double.PositiveInfinity;
            return new(fraction < 1 ? 0 : 2, fraction);
        }

        return new(1, used);
    }
}
