using System;

namespace LlmProviders.Routing;

/// <summary>
/// Orders a route's candidates before the router tries them (SPEC RT3). Built-in strategies come from
/// <see cref="RoutingStrategies"/>; a custom strategy implements this interface.
/// </summary>
/// <remarks>
/// <para>A strategy only orders: it never drops a candidate (the router's filters run afterwards, before every attempt).</para>
/// <para><see cref="Order"/> runs on every call, concurrently: it must be thread-safe and should allocate nothing.</para>
/// </remarks>
public interface IRoutingStrategy
{
    /// <summary>Gets the strategy's name as it appears in the decision trace and in configuration (e.g. <c>least_cost</c>).</summary>
    string Name { get; }

    /// <summary>Rearranges <paramref name="order"/>, best candidate first.</summary>
    /// <param name="context">The request, the route's targets with their live statistics, and the call's estimates.</param>
    /// <param name="order">
    /// Indexes into <see cref="RoutingStrategyContext.Targets"/>; it arrives filled with 0..n-1 (the configured order), or with the
    /// order of a previous strategy. Rearrange it in place; keep every index exactly once.
    /// </param>
    void Order(in RoutingStrategyContext context, Span<int> order);
}
