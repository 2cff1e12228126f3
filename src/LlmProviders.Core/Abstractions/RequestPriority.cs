namespace LlmProviders;

/// <summary>The priority of a request when it waits for a rate limit or a concurrency slot.</summary>
public enum RequestPriority
{
    /// <summary>Served after normal and high priority requests.</summary>
    Low = 0,

    /// <summary>The default priority.</summary>
    Normal = 1,

    /// <summary>Served first when requests are queued.</summary>
    High = 2,
}

/// <summary>How a request uses the response cache.</summary>
public enum ResponseCacheMode
{
    /// <summary>Follow the provider's or route's configuration.</summary>
    Default = 0,

    /// <summary>Read from and write to the cache.</summary>
    Use = 1,

    /// <summary>Neither read nor write the cache.</summary>
    Bypass = 2,

    /// <summary>Skip the cached entry, call the provider and store the fresh answer.</summary>
    Refresh = 3,
}

/// <summary>What the router does when a stream fails after its first update reached the caller.</summary>
public enum StreamInterruptionPolicy
{
    /// <summary>Throw a <see cref="StreamInterruptedException"/> carrying the partial text. Never a silent truncation.</summary>
    Fail = 0,

    /// <summary>Restart on the next target; the library discards the updates the caller already received.</summary>
    Restart = 1,

    /// <summary>Ask the next target to continue the partial answer (targets that support assistant prefill, requests without tools).</summary>
    Continue = 2,
}
