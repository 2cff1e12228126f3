using System;
using System.Threading;

namespace LlmProviders.Http;

/// <summary>
/// The per-attempt timeout (<see cref="HttpProviderOptions.RequestTimeout"/>) on a provider's clock, linked to the caller's token.
/// Its source comes from a <see cref="TimeoutSourcePool"/> and goes back there on <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// Use it as a <see langword="using"/> declaration around one attempt (send plus body read), pass <see cref="Token"/> to
/// every call of that attempt, and ask <see cref="HasTimedOut"/> when an <see cref="OperationCanceledException"/> arrives
/// to tell the timeout from the caller's cancellation. Do not copy it: each copy would return the same source.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1815", Justification = "A scope, never compared.")]
public readonly struct RequestTimeout : IDisposable
{
    /// <summary>The longest timeout a timer takes (about 49 days); a longer one is treated as infinite.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(49);

    /// <summary>Normalizes a configured <see cref="HttpProviderOptions.RequestTimeout"/>: zero, negative, or longer than <see cref="MaxTimeout"/> means none.</summary>
    /// <param name="configured">The configured timeout.</param>
    /// <returns><paramref name="configured"/>, or <see cref="Timeout.InfiniteTimeSpan"/>.</returns>
    public static TimeSpan Normalize(TimeSpan configured) => configured <= TimeSpan.Zero || configured > MaxTimeout ? Timeout.InfiniteTimeSpan : configured;

    private readonly TimeoutSourcePool? _pool;
    private readonly CancellationTokenSource? _source;
    private readonly CancellationTokenRegistration _registration;

    /// <summary>Starts the timeout of one attempt.</summary>
    /// <param name="timeout">The timeout; <see cref="Timeout.InfiniteTimeSpan"/> for none (then <see cref="Token"/> is <paramref name="callerToken"/> and nothing is rented).</param>
    /// <param name="pool">The pool the timeout's source is rented from.</param>
    /// <param name="callerToken">The caller's token; cancelling it cancels <see cref="Token"/>.</param>
    public RequestTimeout(TimeSpan timeout, TimeoutSourcePool pool, CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            Token = callerToken;
            return;
        }

        _pool = pool;
        _source = pool.Rent(timeout);
        if (callerToken.CanBeCanceled)
        {
            _registration = callerToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _source);
        }

        Token = _source.Token;
    }

    /// <summary>Gets the token that is cancelled when the timeout fires or the caller cancels.</summary>
    public CancellationToken Token { get; }

    /// <summary>Tells whether the attempt was ended by the timeout rather than by the caller.</summary>
    /// <param name="callerToken">The caller's token given to the constructor.</param>
    /// <returns><see langword="true"/> when the timeout fired and the caller did not cancel.</returns>
    public bool HasTimedOut(CancellationToken callerToken) => _source is { IsCancellationRequested: true } && !callerToken.IsCancellationRequested;

    /// <summary>Unlinks the caller's token, then gives the source back to the pool.</summary>
    public void Dispose()
    {
        // The caller's registration goes first (waiting for a running callback), so a reused source can never be cancelled by an old caller.
        _registration.Dispose();
        if (_source is not null)
        {
            _pool!.Return(_source);
        }
    }
}
