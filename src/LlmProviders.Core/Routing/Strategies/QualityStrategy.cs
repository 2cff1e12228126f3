namespace LlmProviders.Routing;

/// <summary>Orders by the catalog's quality score (highest first); targets of unknown quality go last; ties keep the configured order.</summary>
internal sealed class QualityStrategy : KeyedRoutingStrategy
{
    public static QualityStrategy Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => RoutingStrategyNames.Quality;

    /// <inheritdoc />
    protected override StrategySortKey KeyOf(in RoutingStrategyContext context, RoutingTargetInfo target, int index, long state) =>
        target.CatalogEntry?.QualityScore is { } score && !double.IsNaN(score) ? new(0, -score) : new(1);
}
