using System;

namespace LlmProviders.Resilience;

/// <summary>
/// The timeouts of one target (SPEC RS4). A <see langword="null"/> value takes the default for the target's kind: cloud
/// providers 60 s / 30 s / 30 s / 5 min, local ones (Ollama, LM Studio …) 10 min / 5 min / 2 min / 30 min.
/// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> turns a timeout off. A timeout ends in a
/// <see cref="ProviderTimeoutException"/> naming it; the caller's cancellation stays an <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class TargetTimeoutOptions
{
    /// <summary>Gets or sets the limit of one attempt of a non-streaming call, from sending to the complete answer.</summary>
    /// <value>The default value is <see langword="null"/>: 60 seconds for a cloud target, 10 minutes for a local one.</value>
    public TimeSpan? Attempt { get; set; }

    /// <summary>Gets or sets the limit from opening a stream to its first update.</summary>
    /// <value>The default value is <see langword="null"/>: 30 seconds for a cloud target, 5 minutes for a local one.</value>
    public TimeSpan? FirstChunk { get; set; }

    /// <summary>Gets or sets the longest gap between two updates of a stream (stall detection).</summary>
    /// <value>The default value is <see langword="null"/>: 30 seconds for a cloud target, 2 minutes for a local one.</value>
    public TimeSpan? IdleGap { get; set; }

    /// <summary>Gets or sets the limit of the whole call on this target: waiting for a slot and a permit, every attempt and every retry delay (and, for a stream, until its end).</summary>
    /// <value>The default value is <see langword="null"/>: 5 minutes for a cloud target, 30 minutes for a local one.</value>
    public TimeSpan? Total { get; set; }

    internal static readonly TimeSpan CloudAttempt = TimeSpan.FromSeconds(60);
    internal static readonly TimeSpan CloudFirstChunk = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan CloudIdleGap = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan CloudTotal = TimeSpan.FromMinutes(5);
    internal static readonly TimeSpan LocalAttempt = TimeSpan.FromMinutes(10);
    internal static readonly TimeSpan LocalFirstChunk = TimeSpan.FromMinutes(5);
    internal static readonly TimeSpan LocalIdleGap = TimeSpan.FromMinutes(2);
    internal static readonly TimeSpan LocalTotal = TimeSpan.FromMinutes(30);
}
