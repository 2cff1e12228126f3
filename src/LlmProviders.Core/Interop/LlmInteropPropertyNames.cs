namespace LlmProviders;

/// <summary>
/// The keys under which the Microsoft.Extensions.AI face of a provider reads the routing and accounting fields of a
/// <see cref="ChatRequest"/> from <c>ChatOptions.AdditionalProperties</c>, and writes what a <see cref="ChatResult"/> says
/// beyond <c>ChatResponse</c> (cost, provider, latency, trace …) into <c>ChatResponse.AdditionalProperties</c>.
/// </summary>
/// <remarks>
/// Request values may be given typed (e.g. a <see cref="RequestPriority"/>) or as strings (<c>"High"</c>, <c>"00:00:05"</c>).
/// Any other additional property whose value is a <see cref="System.Text.Json.JsonElement"/>, string, number or Boolean becomes a
/// provider-specific field (<see cref="ChatRequest.AdditionalRequestFields"/>); values of other types are ignored.
/// </remarks>
public static class LlmInteropPropertyNames
{
    /// <summary>Request: the route to take (<see cref="ChatRequest.RouteName"/>), a string.</summary>
    public const string RouteName = "llm.route";

    /// <summary>Request: the provider to pin (<see cref="ChatRequest.PinnedProvider"/>), a string.</summary>
    public const string PinnedProvider = "llm.pinned_provider";

    /// <summary>Request: the capabilities a target must have (<see cref="ChatRequest.RequiredCapabilities"/>), an <see cref="LlmCapabilities"/> or its name(s), e.g. <c>"Tools, Vision"</c>.</summary>
    public const string RequiredCapabilities = "llm.required_capabilities";

    /// <summary>Request: the priority (<see cref="ChatRequest.Priority"/>), a <see cref="LlmProviders.RequestPriority"/> or its name.</summary>
    public const string Priority = "llm.priority";

    /// <summary>Request: whether the router may fail over (<see cref="ChatRequest.AllowFallback"/>), a Boolean.</summary>
    public const string AllowFallback = "llm.allow_fallback";

    /// <summary>Request: the most this call may cost in USD (<see cref="ChatRequest.MaxCost"/>), a number.</summary>
    public const string MaxCost = "llm.max_cost";

    /// <summary>Request: the latency preference (<see cref="ChatRequest.MaxLatency"/>), a <see cref="System.TimeSpan"/> or its text.</summary>
    public const string MaxLatency = "llm.max_latency";

    /// <summary>Request: the response cache mode (<see cref="ChatRequest.CacheMode"/>), a <see cref="ResponseCacheMode"/> or its name.</summary>
    public const string CacheMode = "llm.cache_mode";

    /// <summary>Request: what a stream broken after its first update does (<see cref="ChatRequest.StreamInterruption"/>), a <see cref="StreamInterruptionPolicy"/> or its name.</summary>
    public const string StreamInterruption = "llm.stream_interruption";

    /// <summary>Request: the routing strategy for this call (<see cref="ChatRequest.RoutingStrategy"/>), a <see cref="LlmProviders.Routing.RoutingStrategyKind"/> or its name.</summary>
    public const string RoutingStrategy = "llm.routing_strategy";

    /// <summary>Request: tags for cost records, metrics and logs (<see cref="ChatRequest.Tags"/>), an <c>IDictionary&lt;string, string&gt;</c>.</summary>
    public const string Tags = "llm.tags";

    /// <summary>Request: the prefix of a single tag, e.g. <c>"llm.tag.workspace" = "w-42"</c> adds the tag <c>workspace</c>.</summary>
    public const string TagPrefix = "llm.tag.";

    /// <summary>Response: the registration name of the provider that answered (<see cref="ChatResult.ProviderName"/>), a string.</summary>
    public const string ProviderName = "llm.provider_name";

    /// <summary>Response: the cost in USD (<see cref="ChatResult.Cost"/>), a <see cref="decimal"/>; absent when unknown.</summary>
    public const string Cost = "llm.cost";

    /// <summary>Response: the call's latency (<see cref="ChatResult.Latency"/>), a <see cref="System.TimeSpan"/>.</summary>
    public const string Latency = "llm.latency";

    /// <summary>Response: the time to the first token (<see cref="ChatResult.TimeToFirstToken"/>), a <see cref="System.TimeSpan"/>.</summary>
    public const string TimeToFirstToken = "llm.time_to_first_token";

    /// <summary>Response: <see langword="true"/> when the answer came from the response cache (<see cref="ChatResult.FromCache"/>).</summary>
    public const string FromCache = "llm.from_cache";

    /// <summary>Response: the router's decision trace (<see cref="ChatResult.Trace"/>), a <see cref="RoutingTrace"/>.</summary>
    public const string Trace = "llm.trace";

    /// <summary>Response: the refusal text (<see cref="ChatResult.Refusal"/>), a string.</summary>
    public const string Refusal = "llm.refusal";

    /// <summary>Response: the content-filter categories (<see cref="ChatResult.ContentFilterCategories"/>), an <c>IReadOnlyList&lt;string&gt;</c>.</summary>
    public const string ContentFilterCategories = "llm.content_filter_categories";

    /// <summary>Streaming: <see langword="true"/> on an update that starts the answer over (<see cref="ChatStreamUpdate.RestartsAnswer"/>): discard what came before.</summary>
    public const string RestartsAnswer = "llm.restarts_answer";
}
