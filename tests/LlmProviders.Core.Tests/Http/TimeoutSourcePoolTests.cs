using System;
using System.Threading;
using LlmProviders.Http;
using LlmProviders.Testing;

namespace LlmProviders.Tests.Http;

/// <summary>Reused timeout sources never leak a cancellation or a deadline from one call into another.</summary>
[TestFixture]
public sealed class TimeoutSourcePoolTests
{
    [Test]
    public void Returned_source_on_the_system_clock_is_reused_uncancelled()
    {
        var pool = new TimeoutSourcePool(TimeProvider.System);
        var first = pool.Rent(TimeSpan.FromHours(1));
        pool.Return(first);

        var second = pool.Rent(TimeSpan.FromHours(1));
        Assert.That(second, Is.SameAs(first));
        Assert.That(second.IsCancellationRequested, Is.False);
        pool.Return(second);
    }

    [Test]
    public void Sources_on_another_clock_are_not_reused_but_keep_their_deadline()
    {
        var time = new ManualTimeProvider();
        var pool = new TimeoutSourcePool(time);
        var first = pool.Rent(TimeSpan.FromSeconds(10));
        pool.Return(first);

        var second = pool.Rent(TimeSpan.FromSeconds(10));
        Assert.That(second, Is.Not.SameAs(first));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.That(second.IsCancellationRequested, Is.False);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.That(second.IsCancellationRequested, Is.True);
    }

    [Test]
    public void Cancelled_source_is_not_reused()
    {
        var pool = new TimeoutSourcePool(new ManualTimeProvider());
        var first = pool.Rent(TimeSpan.FromSeconds(10));
        first.Cancel();
        pool.Return(first);
        Assert.That(pool.Rent(TimeSpan.FromSeconds(10)), Is.Not.SameAs(first));
    }
}

/// <summary>The per-attempt timeout: linked to the caller, told apart from the caller's cancellation, and returned to its pool.</summary>
[TestFixture]
public sealed class RequestTimeoutTests
{
    [Test]
    public void Infinite_timeout_uses_the_callers_token_and_rents_nothing()
    {
        using var caller = new CancellationTokenSource();
        var pool = new TimeoutSourcePool(TimeProvider.System);
        using (var timeout = new RequestTimeout(Timeout.InfiniteTimeSpan, pool, caller.Token))
        {
            Assert.That(timeout.Token, Is.EqualTo(caller.Token));
            caller.Cancel();
            Assert.That(timeout.HasTimedOut(caller.Token), Is.False);
        }
    }

    [Test]
    public void Firing_timeout_cancels_the_token_and_counts_as_timed_out()
    {
        var time = new ManualTimeProvider();
        using var timeout = new RequestTimeout(TimeSpan.FromSeconds(5), new TimeoutSourcePool(time), CancellationToken.None);
        Assert.That(timeout.HasTimedOut(CancellationToken.None), Is.False);
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.That(timeout.Token.IsCancellationRequested, Is.True);
        Assert.That(timeout.HasTimedOut(CancellationToken.None), Is.True);
    }

    [Test]
    public void Callers_cancellation_cancels_the_token_but_is_not_a_timeout()
    {
        using var caller = new CancellationTokenSource();
        using var timeout = new RequestTimeout(TimeSpan.FromSeconds(5), new TimeoutSourcePool(new ManualTimeProvider()), caller.Token);
        caller.Cancel();
        Assert.That(timeout.Token.IsCancellationRequested, Is.True);
        Assert.That(timeout.HasTimedOut(caller.Token), Is.False);
    }

    [Test]
    public void Disposed_timeout_returns_its_source_unlinked_from_the_old_caller()
    {
        using var caller = new CancellationTokenSource();
        var pool = new TimeoutSourcePool(TimeProvider.System);
        CancellationToken first;
        using (var timeout = new RequestTimeout(TimeSpan.FromHours(1), pool, caller.Token))
        {
            first = timeout.Token;
        }

        using var second = new RequestTimeout(TimeSpan.FromHours(1), pool, CancellationToken.None);
        Assert.That(second.Token, Is.EqualTo(first), "the source was reused");
        caller.Cancel();
        Assert.That(second.Token.IsCancellationRequested, Is.False);
    }
}
