namespace LlmProviders.Costs;

/// <summary>
/// The calls, tokens and cost of a group of cost records (a provider, a model, a tag value, a day …) in a <see cref="CostReport"/>.
/// </summary>
/// <remarks>
/// <see cref="Cost"/> sums the known costs only: a call whose cost is unknown (a model the catalog does not price) is counted in
/// <see cref="UnknownCostCalls"/>, never as $0. When <see cref="UnknownCostCalls"/> is above zero, <see cref="Cost"/> is a lower bound.
/// </remarks>
public sealed class CostSummary
{
    internal long _calls;
    internal long _successes;
    internal long _cachedCalls;
    internal long _inputTokens;
    internal long _outputTokens;
    internal long _cachedInputTokens;
    internal long _cacheWriteTokens;
    internal long _reasoningTokens;
    internal long _unknownCostCalls;
    internal decimal _cost;

    internal CostSummary()
    {
    }

    /// <summary>Gets the number of calls (attempts) recorded.</summary>
    public long Calls => _calls;

    /// <summary>Gets the number of calls that succeeded.</summary>
    public long Successes => _successes;

    /// <summary>Gets the number of calls that failed.</summary>
    public long Failures => _calls - _successes;

    /// <summary>Gets the number of calls answered from the response cache.</summary>
    public long CachedCalls => _cachedCalls;

    /// <summary>Gets the input tokens, cached reads and cache writes included.</summary>
    public long InputTokens => _inputTokens;

    /// <summary>Gets the output tokens, reasoning included.</summary>
    public long OutputTokens => _outputTokens;

    /// <summary>Gets the input tokens read from the prompt cache.</summary>
    public long CachedInputTokens => _cachedInputTokens;

    /// <summary>Gets the input tokens written to the prompt cache.</summary>
    public long CacheWriteTokens => _cacheWriteTokens;

    /// <summary>Gets the reasoning tokens.</summary>
    public long ReasoningTokens => _reasoningTokens;

    /// <summary>Gets the input and output tokens together.</summary>
    public long TotalTokens => _inputTokens + _outputTokens;

    /// <summary>Gets the sum of the known costs, in USD: a lower bound when <see cref="UnknownCostCalls"/> is above zero.</summary>
    public decimal Cost => _cost;

    /// <summary>Gets the number of calls whose cost is unknown (not included in <see cref="Cost"/>).</summary>
    public long UnknownCostCalls => _unknownCostCalls;

    /// <summary>Gets a value indicating whether <see cref="Cost"/> is exact (no call of unknown cost).</summary>
    public bool IsCostComplete => _unknownCostCalls == 0;

    internal void Add(in CostRecord record)
    {
        _calls++;
        if (record.ErrorKind is null)
        {
            _successes++;
        }

        if (record.FromCache)
        {
            _cachedCalls++;
        }

        _inputTokens += record.InputTokens;
        _outputTokens += record.OutputTokens;
        _cachedInputTokens += record.CachedInputTokens;
        _cacheWriteTokens += record.CacheWriteTokens;
        _reasoningTokens += record.ReasoningTokens;
        if (record.Cost is { } cost)
        {
            _cost += cost;
        }
        else
        {
            _unknownCostCalls++;
        }
    }

    internal void Add(CostSummary other)
    {
        _calls += other._calls;
        _successes += other._successes;
        _cachedCalls += other._cachedCalls;
        _inputTokens += other._inputTokens;
        _outputTokens += other._outputTokens;
        _cachedInputTokens += other._cachedInputTokens;
        _cacheWriteTokens += other._cacheWriteTokens;
        _reasoningTokens += other._reasoningTokens;
        _unknownCostCalls += other._unknownCostCalls;
        _cost += other._cost;
    }
}
