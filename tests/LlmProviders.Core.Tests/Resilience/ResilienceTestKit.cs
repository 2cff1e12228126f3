using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmProviders.Tests.Resilience;

/// <summary>Builds executors on a manual clock, and the errors providers report.</summary>
internal static class ResilienceTestKit
{
    public const string Provider = "primary";

    public static TargetResilience Create(ManualTimeProvider time, Action<TargetResilienceOptions>? configure = null, bool isLocal = false,
        RateLimitQuotaRegistry? quotas = null, string name = Provider, double jitter = 0.5)
    {
        var options = new TargetResilienceOptions();
        configure?.Invoke(options);
        var validation = TargetResilienceOptionsValidator.Instance.Validate(name, options);
        Assert.That(validation.Failed, Is.False, validation.FailureMessage);
        return new TargetResilience(name, isLocal, options, time, NullLogger.Instance, quotas ?? new RateLimitQuotaRegistry(time))
        {
            NextJitter = () => jitter,
        };
    }

    /// <summary>Yields until <paramref name="condition"/> holds (continuations of timers may run on the thread pool); no clock involved.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        for (int i = 0; i < 200_000; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Yield();
        }

        Assert.Fail("timed out waiting for: " + what);
    }

    /// <summary>Yields a few times so that any continuation that could run has run.</summary>
    public static async Task Settle()
    {
        for (int i = 0; i < 50; i++)
        {
            await Task.Yield();
        }
    }

    public static RateLimitedException RateLimited(TimeSpan? retryAfter = null) =>
        new("429 from the provider") { ProviderName = Provider, StatusCode = HttpStatusCode.TooManyRequests, RetryAfter = retryAfter };

    public static ProviderUnavailableException Unavailable() =>
        new("503 from the provider") { ProviderName = Provider, StatusCode = HttpStatusCode.ServiceUnavailable };

    public static ProviderOverloadedException Overloaded() =>
        new("529 from the provider") { ProviderName = Provider, StatusCode = (HttpStatusCode)529 };

    public static InvalidChatRequestException Invalid() =>
        new("400 from the provider") { ProviderName = Provider, StatusCode = HttpStatusCode.BadRequest };
}

/// <summary>The test double: an attempt that fails or answers per a script, recording when each call happened.</summary>
internal sealed class ScriptedAttempt(TimeProvider time)
{
    private readonly ConcurrentQueue<Func<int, CancellationToken, Task<string>>> _steps = new();
    private readonly ConcurrentQueue<DateTimeOffset> _callTimes = new();
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<DateTimeOffset> CallTimes => [.. _callTimes];

    public ScriptedAttempt ThenFail(Exception error, int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            _steps.Enqueue((_, _) => Task.FromException<string>(error));
        }

        return this;
    }

    public ScriptedAttempt ThenHang(int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            _steps.Enqueue(async (_, ct) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return "never";
            });
        }

        return this;
    }

    public ScriptedAttempt ThenWait(Task gate)
    {
        _steps.Enqueue(async (n, ct) =>
        {
            await gate.WaitAsync(ct);
            return "answer " + n;
        });
        return this;
    }

    /// <summary>Calls beyond the script answer "answer N".</summary>
    public Task<string> Invoke(CancellationToken cancellationToken)
    {
        int n = Interlocked.Increment(ref _calls);
        _callTimes.Enqueue(time.GetUtcNow());
        return _steps.TryDequeue(out var step) ? step(n, cancellationToken) : Task.FromResult("answer " + n);
    }
}

/// <summary>Streams for the streaming tests.</summary>
internal static class ResilienceStreams
{
    public static async IAsyncEnumerable<ChatStreamUpdate> Updates(TimeProvider time, TimeSpan firstDelay, TimeSpan gap, int count,
        Exception? failAfter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (firstDelay > TimeSpan.Zero)
        {
            await Task.Delay(firstDelay, time, cancellationToken);
        }

        for (int i = 0; i < count; i++)
        {
            if (i > 0 && gap > TimeSpan.Zero)
            {
                await Task.Delay(gap, time, cancellationToken);
            }

            yield return new ChatStreamUpdate { Text = "t" + i, IsFinal = failAfter is null && i == count - 1 };
        }

        if (failAfter is not null)
        {
            throw failAfter;
        }
    }

    public static async IAsyncEnumerable<ChatStreamUpdate> FailAtOnce(Exception error)
    {
        await Task.CompletedTask;
        throw error;
#pragma warning disable CS0162 // Unreachable code: an iterator needs a yield.
        yield break;
#pragma warning restore CS0162
    }

    /// <summary>A stream that yields one update, then never another.</summary>
    public sealed class Stall(TimeProvider time)
    {
        public async IAsyncEnumerable<ChatStreamUpdate> Run([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return new ChatStreamUpdate { Text = "first" };
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
            yield return new ChatStreamUpdate { Text = "never", IsFinal = true };
        }
    }

    public static async Task<List<string>> ReadAll(IAsyncEnumerator<ChatStreamUpdate> stream)
    {
        var texts = new List<string>();
        await using (stream)
        {
            while (await stream.MoveNextAsync())
            {
                texts.Add(stream.Current.Text ?? string.Empty);
            }
        }

        return texts;
    }
}
