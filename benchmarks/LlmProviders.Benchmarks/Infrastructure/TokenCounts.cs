namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>The usage every contender must report, normalized across their types.</summary>
internal readonly record struct TokenCounts(long Input, long Output, long Total)
{
    /// <summary>
    /// Usage from a wire format without a total (Anthropic): the total is derived as input + output, so comparing
    /// two of these compares exactly their input and output tokens.
    /// </summary>
    public static TokenCounts FromInputOutput(long input, long output) => new(input, output, input + output);
}
