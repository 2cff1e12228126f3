using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using LlmProviders.Testing.Http;

namespace LlmProviders.Tests.Http;

/// <summary><see cref="LlmHttp.ReadBodyAsync"/>: a whole body into a pooled buffer, failures typed, caller cancellation untouched.</summary>
[TestFixture]
public sealed class LlmHttpReadBodyTests
{
    private static readonly ProviderErrorContext Context = new() { ProviderName = "acme", Model = "acme-1" };

    private static byte[] Body(int length) => Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26))).ToArray();

    private static StreamContent Content(byte[] body, ScriptedBodyOptions options) => new(new ScriptedBodyStream(body, options));

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(42)]
    public async Task Reads_a_whole_body_that_arrives_in_random_pieces(int seed)
    {
        var body = Body(70_000);
        using var content = Content(body, new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = 4096 });

        using var pooled = await LlmHttp.ReadBodyAsync(content, Context, 1 << 20, CancellationToken.None, CancellationToken.None);

        Assert.That(pooled.Length, Is.EqualTo(body.Length));
        Assert.That(pooled.Span.SequenceEqual(body), Is.True);
    }

    [Test]
    public async Task Reads_an_empty_body_as_zero_bytes()
    {
        using var content = new ByteArrayContent([]);

        using var pooled = await LlmHttp.ReadBodyAsync(content, Context, 1024, CancellationToken.None, CancellationToken.None);

        Assert.That(pooled.Length, Is.Zero);
        Assert.That(pooled.Span.IsEmpty, Is.True);
    }

    [Test]
    public void A_body_over_the_limit_is_a_malformed_response_naming_the_provider()
    {
        using var content = Content(Body(100_000), new ScriptedBodyOptions { MaxReadSize = 8192 });

        var ex = Assert.ThrowsAsync<MalformedResponseException>(async () =>
        {
            using var _ = await LlmHttp.ReadBodyAsync(content, Context, 16 * 1024, CancellationToken.None, CancellationToken.None);
        });

        Assert.That(ex!.ProviderName, Is.EqualTo("acme"));
        Assert.That(ex.Message, Does.Contain("acme").And.Contain("larger than"));
    }

    [Test]
    public void A_connection_that_breaks_mid_body_is_a_transient_unavailable_error()
    {
        using var content = Content(Body(10_000), new ScriptedBodyOptions { FailAfterBytes = 3000, MaxReadSize = 1024 });

        var ex = Assert.ThrowsAsync<ProviderUnavailableException>(async () =>
        {
            using var _ = await LlmHttp.ReadBodyAsync(content, Context, 1 << 20, CancellationToken.None, CancellationToken.None);
        });

        Assert.That(ex!.ProviderName, Is.EqualTo("acme"));
        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public async Task Caller_cancellation_while_reading_is_an_OperationCanceledException()
    {
        var stream = new ScriptedBodyStream(Body(10_000), new ScriptedBodyOptions { PauseAfterBytes = 100 });
        using var content = new StreamContent(stream);
        using var caller = new CancellationTokenSource();

        var read = LlmHttp.ReadBodyAsync(content, Context, 1 << 20, caller.Token, caller.Token).AsTask();
        await stream.PauseReached.WaitAsync(SplitSeeds.HangGuard);
        await caller.CancelAsync();

        var ex = Assert.CatchAsync<OperationCanceledException>(async () => await read.WaitAsync(SplitSeeds.HangGuard));
        Assert.That(ex!.CancellationToken, Is.EqualTo(caller.Token));
    }

    [Test]
    public async Task A_read_cancelled_by_a_timeout_not_the_caller_is_a_timeout_error()
    {
        var stream = new ScriptedBodyStream(Body(10_000), new ScriptedBodyOptions { PauseAfterBytes = 100 });
        using var content = new StreamContent(stream);
        using var timeout = new CancellationTokenSource();

        var read = LlmHttp.ReadBodyAsync(content, Context, 1 << 20, timeout.Token, CancellationToken.None).AsTask();
        await stream.PauseReached.WaitAsync(SplitSeeds.HangGuard);
        await timeout.CancelAsync();

        var ex = Assert.ThrowsAsync<ProviderTimeoutException>(async () => await read.WaitAsync(SplitSeeds.HangGuard));
        Assert.That(ex!.ProviderName, Is.EqualTo("acme"));
        Assert.That(ex.IsTransient, Is.True);
    }
}
