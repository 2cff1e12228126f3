namespace LlmProviders.Resilience;

/// <summary>The state of one target's circuit breaker.</summary>
public enum TargetCircuitState
{
    /// <summary>Calls go through; failures are counted.</summary>
    Closed = 0,

    /// <summary>Calls are refused at once until the break ends.</summary>
    Open = 1,

    /// <summary>The break ended: the next call is a probe (one at a time); its success closes the circuit, its failure re-opens it for longer.</summary>
    HalfOpen = 2,

    /// <summary>Opened by hand (e.g. an operator took the target out); stays open until closed by hand.</summary>
    Isolated = 3,
}
