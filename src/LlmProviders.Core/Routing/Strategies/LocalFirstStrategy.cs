namespace LlmProviders.Routing;

/// <summary>Orders local targets (Ollama, vLLM, LocalAI) before cloud ones; otherwise keeps the incoming order.</summary>
internal sealed class LocalFirstStrategy : KeyedRoutingStrategy
{
    public static LocalFirstStrategy Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => RoutingStrategyNames.LocalFirst;

    /// <inheritdoc />
    protected override StrategySortKey KeyOf(in RoutingStrategyContext context, RoutingTargetInfo target, int index, long state) =>
        new(target.IsLocal ? 0 : 1);
}
