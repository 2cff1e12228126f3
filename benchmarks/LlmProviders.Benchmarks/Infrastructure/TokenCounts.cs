namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>The usage every contender must report, normalized across their types.</summary>
internal readonly record struct TokenCounts(long Input, long Output, long Total);
