using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using LlmProviders.Testing.Http;

namespace LlmProviders.Tests.Http;

[TestFixture]
public sealed class EventTerminatingStreamTests
{
    [Test]
    public async Task Appends_two_line_feeds_after_the_body_then_ends()
    {
        using var stream = new EventTerminatingStream(new MemoryStream(Encoding.UTF8.GetBytes("data: x")));
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy);

        Assert.That(Encoding.UTF8.GetString(copy.ToArray()), Is.EqualTo("data: x\n\n"));
        Assert.That(await stream.ReadAsync(new byte[8]), Is.Zero, "reads after the terminator keep returning 0");
    }

    [Test]
    public async Task Hands_out_the_terminator_one_byte_at_a_time_to_one_byte_reads()
    {
        using var stream = new EventTerminatingStream(new ScriptedBodyStream(Encoding.UTF8.GetBytes("ab"), new ScriptedBodyOptions { SplitSeed = 1, MaxReadSize = 1 }));
        var one = new byte[1];
        var sb = new StringBuilder();
        int n;
        while ((n = await stream.ReadAsync(one)) > 0)
        {
            Assert.That(n, Is.EqualTo(1));
            sb.Append((char)one[0]);
        }

        Assert.That(sb.ToString(), Is.EqualTo("ab\n\n"));
    }

    [Test]
    public void Synchronous_reads_also_get_the_terminator()
    {
        using var stream = new EventTerminatingStream(new MemoryStream(Encoding.UTF8.GetBytes("x")));
        using var reader = new StreamReader(stream);

        Assert.That(reader.ReadToEnd(), Is.EqualTo("x\n\n"));
    }

    [Test]
    public async Task A_zero_length_read_does_not_start_the_terminator()
    {
        using var stream = new EventTerminatingStream(new MemoryStream(Encoding.UTF8.GetBytes("x")));

        Assert.That(await stream.ReadAsync(Memory<byte>.Empty), Is.Zero);
        var buffer = new byte[8];
        int n = await stream.ReadAsync(buffer);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, n), Is.EqualTo("x"));
    }

    [Test]
    public async Task An_empty_body_gives_only_the_terminator()
    {
        using var stream = new EventTerminatingStream(new MemoryStream());
        var buffer = new byte[8];

        int n = await stream.ReadAsync(buffer);

        Assert.That(Encoding.UTF8.GetString(buffer, 0, n), Is.EqualTo("\n\n"));
    }

    [Test]
    public async Task Passes_the_callers_token_to_a_pending_inner_read()
    {
        var inner = TestStreams.Gated("");
        using var stream = new EventTerminatingStream(inner);
        using var cts = new CancellationTokenSource();

        var read = stream.ReadAsync(new byte[8], cts.Token).AsTask();
        await inner.PauseReached.WaitAsync(SplitSeeds.HangGuard);
        await cts.CancelAsync();

        Assert.That(async () => await read.WaitAsync(SplitSeeds.HangGuard), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Completes_a_pending_inner_read_with_its_data()
    {
        var inner = TestStreams.Gated("", "late");
        using var stream = new EventTerminatingStream(inner);
        var buffer = new byte[8];

        var read = stream.ReadAsync(buffer).AsTask();
        await inner.PauseReached.WaitAsync(SplitSeeds.HangGuard);
        inner.Release();

        int n = await read.WaitAsync(SplitSeeds.HangGuard);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, n), Is.EqualTo("late"));
        n = await stream.ReadAsync(buffer);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, n), Is.EqualTo("\n\n"));
    }

    [Test]
    public void Is_a_read_only_forward_only_stream()
    {
        using var stream = new EventTerminatingStream(new MemoryStream());

        Assert.Multiple(() =>
        {
            Assert.That(stream.CanRead, Is.True);
            Assert.That(stream.CanSeek, Is.False);
            Assert.That(stream.CanWrite, Is.False);
            Assert.That(() => stream.Write(new byte[1], 0, 1), Throws.InstanceOf<NotSupportedException>());
            Assert.That(() => stream.Length, Throws.InstanceOf<NotSupportedException>());
        });
    }
}
