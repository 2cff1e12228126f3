using System;
using System.Collections.Generic;
using System.Threading;

namespace LlmProviders.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when a test calls <see cref="Advance"/>; timers (and so
/// <c>Task.Delay(…, timeProvider)</c>) fire when the clock passes their due time. No test sleeps.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _timestamp;

    /// <summary>Initializes a new instance starting at 2026-01-01T00:00:00Z.</summary>
    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Initializes a new instance starting at <paramref name="start"/>.</summary>
    /// <param name="start">The initial time.</param>
    public ManualTimeProvider(DateTimeOffset start) => _now = start;

    /// <summary>Gets the number of timers waiting to fire.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count;
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _timestamp;
        }
    }

    /// <summary>Moves the clock forward and fires every timer that becomes due, in due order.</summary>
    /// <param name="delta">How far to move (not negative).</param>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + delta;
        }

        while (true)
        {
            ManualTimer? due = null;
            lock (_lock)
            {
                foreach (var t in _timers)
                {
                    if (t.DueAt <= target && (due is null || t.DueAt < due.DueAt))
                    {
                        due = t;
                    }
                }

                if (due is null)
                {
                    _timestamp += (target - _now).Ticks;
                    _now = target;
                    return;
                }

                if (due.DueAt > _now)
                {
                    _timestamp += (due.DueAt - _now).Ticks;
                    _now = due.DueAt;
                }

                due.Reschedule(_now);
            }

            due.Fire();
        }
    }

    /// <summary>Sets the wall clock (without firing timers), e.g. to cross midnight for a daily budget.</summary>
    /// <param name="now">The new time.</param>
    public void SetUtcNow(DateTimeOffset now)
    {
        lock (_lock)
        {
            _now = now;
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                DueAt = owner._now + dueTime;
                owner._timers.Add(this);
            }

            if (dueTime == TimeSpan.Zero)
            {
                // Due now: fire without waiting for Advance, as a real timer would.
                owner.Advance(TimeSpan.Zero);
            }

            return true;
        }

        // Called under the owner's lock.
        public void Reschedule(DateTimeOffset now)
        {
            owner._timers.Remove(this);
            if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
            {
                DueAt = now + _period;
                owner._timers.Add(this);
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
            }
        }

        public System.Threading.Tasks.ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
