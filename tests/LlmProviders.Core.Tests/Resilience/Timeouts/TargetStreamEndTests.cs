using System;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Resilience;
using LlmProviders.Testing;
using static LlmProviders.Tests.Resilience.ResilienceTestKit;

namespace LlmProviders.Tests.Resilience.Timeouts;

public class TargetStreamEndTests
{
    [Test]
    public async Task A_stream_read_to_its_end_frees_its_slot_before_it_is_disposed()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, o => o.MaxConcurrency = 1);
        var stream = await resilience.OpenStreamAsync(ct => ResilienceStreams.Updates(time, TimeSpan.Zero, TimeSpan.Zero, 2, cancellationToken: ct),
            RequestPriority.Normal, 0, CancellationToken.None);

        while (await stream.MoveNextAsync())
        {
        }

        int inFlightAtEnd = resilience.InFlight;
        bool availableAtEnd = resilience.TryCheckAvailable(0, out _, out _);
        await stream.DisposeAsync();
        await stream.DisposeAsync(); // twice is harmless

        Assert.That((inFlightAtEnd, availableAtEnd, resilience.InFlight), Is.EqualTo((0, true, 0)));
    }

    [Test]
    public async Task The_total_timeout_also_bounds_a_stream_after_its_first_update()
    {
        var time = new ManualTimeProvider();
        var resilience = Create(time, o =>
        {
            o.Timeouts.Total = TimeSpan.FromSeconds(50);
            o.Timeouts.IdleGap = TimeSpan.FromSeconds(30);
        });
        var stream = await resilience.OpenStreamAsync(ct => ResilienceStreams.Updates(time, TimeSpan.Zero, TimeSpan.FromSeconds(20), 10, cancellationToken: ct),
            RequestPriority.Normal, 0, CancellationToken.None);
        Assert.That(await stream.MoveNextAsync(), Is.True);

        int received = 1;
        ProviderTimeoutException? error = null;
        try
        {
            while (true)
            {
                var next = stream.MoveNextAsync().AsTask();
                time.Advance(TimeSpan.FromSeconds(20));
                if (!await next)
                {
                    break;
                }

                received++;
            }
        }
        catch (ProviderTimeoutException ex)
        {
            error = ex;
        }

        await stream.DisposeAsync();
        Assert.That(error?.Message, Does.Contain("total timeout of 50 s"));
        Assert.That((received, resilience.InFlight), Is.EqualTo((3, 0)));
    }
}
