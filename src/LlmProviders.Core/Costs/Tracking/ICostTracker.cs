namespace LlmProviders.Costs;

/// <summary>Records calls for cost reports and usage statistics (SPEC C3). The router records every attempt through it.</summary>
/// <remarks>Implementations are thread-safe; <see cref="Record"/> runs on every call and must neither block nor allocate.</remarks>
public interface ICostTracker
{
    /// <summary>Records one call or attempt.</summary>
    /// <param name="record">The record; copied.</param>
    void Record(in CostRecord record);
}
