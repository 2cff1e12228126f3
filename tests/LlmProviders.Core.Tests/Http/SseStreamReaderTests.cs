using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.ServerSentEvents;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using LlmProviders.Testing.Http;

namespace LlmProviders.Tests.Http;

[TestFixture]
public sealed class SseStreamReaderTests
{
    // Everything a provider stream mixes: comments, event names, id/retry lines, multi-line data, multi-byte UTF-8
    // (2-byte é, 2-byte ÷, 4-byte 👋), and a final [DONE].
    private const string RichBody =
        ": OPENROUTER PROCESSING\n\n" +
        "event: message_start\ndata: {\"type\":\"message_start\"}\n\n" +
        "id: 7\nretry: 2500\ndata: {\"text\":\"caf\u00e9 \u00f7 \U0001F44B\"}\n\n" +
        ": keep-alive\n" +
        "data: line one\ndata: line two\n\n" +
        "event: ping\ndata: {}\n\n" +
        "data: [DONE]\n\n";

    private static readonly (string Type, string Data)[] RichEvents =
    [
        ("message_start", "{\"type\":\"message_start\"}"),
        ("message", "{\"text\":\"caf\u00e9 \u00f7 \U0001F44B\"}"),
        ("message", "line one\nline two"),
        ("ping", "{}"),
        ("message", "[DONE]"),
    ];

    [Test]
    public async Task Parses_comments_event_names_multiline_data_and_done_in_one_read()
    {
        var events = await ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes(RichBody)));

        Assert.That(events.Select(e => (e.EventType, e.Data)), Is.EqualTo(RichEvents));
    }

    [TestCaseSource(nameof(SeedsAndChunkSizes))]
    public async Task Parses_the_same_events_when_reads_split_the_body_at_random_bytes(int seed, int maxChunk)
    {
        var stream = new ScriptedBodyStream(Encoding.UTF8.GetBytes(RichBody), new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = maxChunk });

        var events = await ReadAllAsync(stream);

        Assert.That(events.Select(e => (e.EventType, e.Data)), Is.EqualTo(RichEvents), $"seed {seed}, reads of 1..{maxChunk} bytes");
    }

    [TestCaseSource(nameof(SeedsAndChunkSizes))]
    public async Task Parses_crlf_framed_events_split_at_random_bytes(int seed, int maxChunk)
    {
        var crlf = RichBody.Replace("\n", "\r\n", StringComparison.Ordinal);
        var stream = new ScriptedBodyStream(Encoding.UTF8.GetBytes(crlf), new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = maxChunk });

        var events = await ReadAllAsync(stream);

        Assert.That(events.Select(e => (e.EventType, e.Data)), Is.EqualTo(RichEvents), $"seed {seed}, reads of 1..{maxChunk} bytes");
    }

    [TestCaseSource(nameof(SeedsAndChunkSizes))]
    public async Task Parses_bare_cr_framed_events_split_at_random_bytes(int seed, int maxChunk)
    {
        var cr = RichBody.Replace("\n", "\r", StringComparison.Ordinal);
        var stream = new ScriptedBodyStream(Encoding.UTF8.GetBytes(cr), new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = maxChunk });

        var events = await ReadAllAsync(stream);

        Assert.That(events.Select(e => (e.EventType, e.Data)), Is.EqualTo(RichEvents), $"seed {seed}, reads of 1..{maxChunk} bytes");
    }

    [Test]
    public async Task Decodes_multibyte_utf8_split_at_every_byte_of_the_body()
    {
        var body = Encoding.UTF8.GetBytes("data: \u00e9\u00f7\U0001F44B\u00e9\n\n");
        for (int split = 1; split < body.Length; split++)
        {
            var stream = new ChunkStream(body[..split], body[split..]);

            var events = await ReadAllAsync(stream);

            Assert.That(events.Select(e => e.Data), Is.EqualTo(new[] { "\u00e9\u00f7\U0001F44B\u00e9" }), $"split at byte {split}");
        }
    }

    [Test]
    public async Task Decodes_a_four_byte_emoji_delivered_one_byte_per_read()
    {
        var stream = new ScriptedBodyStream(Encoding.UTF8.GetBytes("data: {\"t\":\" \U0001F44B\"}\n\n"), new ScriptedBodyOptions { SplitSeed = 1, MaxReadSize = 1 });

        var events = await ReadAllAsync(stream);

        Assert.That(events.Single().Data, Is.EqualTo("{\"t\":\" \U0001F44B\"}"));
    }

    [TestCase("\n")]
    [TestCase("\r\n")]
    [TestCase("\r")]
    public async Task Accepts_each_line_ending(string eol)
    {
        var body = $"event: a{eol}data: 1{eol}{eol}data: 2{eol}data: 3{eol}{eol}";

        var events = await ReadAllAsync(Utf8Stream(body));

        Assert.That(events.Select(e => (e.EventType, e.Data)), Is.EqualTo(new[] { ("a", "1"), ("message", "2\n3") }));
    }

    [Test]
    public async Task Treats_a_crlf_pair_split_across_reads_as_one_line_end()
    {
        // A CR at the end of one read and its LF at the start of the next must not make an extra blank line
        // (which would cut the multi-line event in two).
        var stream = ChunkStream.FromStrings("data: a\r", "\ndata: b\r", "\n\r", "\ndata: c\r\n\r\n");

        var events = await ReadAllAsync(stream);

        Assert.That(events.Select(e => e.Data), Is.EqualTo(new[] { "a\nb", "c" }));
    }

    [Test]
    public async Task Skips_comment_lines_without_delivering_an_event()
    {
        var body = ": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\ndata: {\"x\":1}\n\n:\n\n";

        var events = await ReadAllAsync(Utf8Stream(body));

        Assert.That(events.Select(e => e.Data), Is.EqualTo(new[] { "{\"x\":1}" }));
    }

    [Test]
    public async Task Reports_event_names_and_defaults_to_message()
    {
        var body = "event: content_block_delta\ndata: {}\n\ndata: {}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

        var events = await ReadAllAsync(Utf8Stream(body));

        Assert.That(events.Select(e => e.EventType), Is.EqualTo(new[] { "content_block_delta", "message", "message_stop" }));
    }

    [Test]
    public async Task Reports_id_and_retry_lines_on_the_event_without_treating_them_as_data()
    {
        var body = "id: evt-1\nretry: 3000\ndata: hello\n\n";

        var events = await ReadAllAsync(Utf8Stream(body));

        var e = events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(e.Data, Is.EqualTo("hello"));
            Assert.That(e.EventId, Is.EqualTo("evt-1"));
            Assert.That(e.ReconnectionInterval, Is.EqualTo(TimeSpan.FromMilliseconds(3000)));
        });
    }

    [Test]
    public async Task Joins_multiline_data_with_line_feeds()
    {
        var body = "data: {\"a\":\ndata: 1,\ndata:\"b\":2}\n\n";

        var events = await ReadAllAsync(Utf8Stream(body));

        Assert.That(events.Single().Data, Is.EqualTo("{\"a\":\n1,\n\"b\":2}"));
    }

    [Test]
    public async Task Delivers_done_as_an_ordinary_event_when_present()
    {
        var events = await ReadAllAsync(Utf8Stream("data: {\"n\":1}\n\ndata: [DONE]\n\n"));

        Assert.That(events.Select(e => e.Data), Is.EqualTo(new[] { "{\"n\":1}", "[DONE]" }));
    }

    [Test]
    public async Task Ends_at_end_of_body_when_done_is_absent()
    {
        var events = await ReadAllAsync(Utf8Stream("data: {\"n\":1}\r\n\r\ndata: {\"n\":2}\r\n\r\n"));

        Assert.That(events.Select(e => e.Data), Is.EqualTo(new[] { "{\"n\":1}", "{\"n\":2}" }));
    }

    [TestCase("data: {\"n\":2}\n", TestName = "Delivers_last_event_without_trailing_blank_line(LF only)")]
    [TestCase("data: {\"n\":2}\r\n", TestName = "Delivers_last_event_without_trailing_blank_line(CRLF only)")]
    [TestCase("data: {\"n\":2}\r", TestName = "Delivers_last_event_without_trailing_blank_line(CR only)")]
    [TestCase("data: {\"n\":2}", TestName = "Delivers_last_event_without_trailing_blank_line(no newline at all)")]
    public async Task Delivers_last_event_without_trailing_blank_line(string tail)
    {
        var events = await ReadAllAsync(Utf8Stream("data: {\"n\":1}\n\n" + tail));

        Assert.That(events.Select(e => e.Data), Is.EqualTo(new[] { "{\"n\":1}", "{\"n\":2}" }));
    }

    [TestCaseSource(nameof(Seeds))]
    public async Task Delivers_last_event_without_newline_when_split_at_random_bytes(int seed)
    {
        var body = Encoding.UTF8.GetBytes("event: a\ndata: x\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}");

        var events = await ReadAllAsync(new ScriptedBodyStream(body, new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = 5 }));

        Assert.That(events.Select(e => (e.EventType, e.Data)), Is.EqualTo(new[] { ("a", "x"), ("message_stop", "{\"type\":\"message_stop\"}") }));
    }

    [Test]
    public async Task Delivers_no_extra_event_after_a_properly_terminated_body()
    {
        var events = await ReadAllAsync(Utf8Stream("data: only\n\n"));

        Assert.That(events.Select(e => e.Data), Is.EqualTo(new[] { "only" }));
    }

    [TestCase("")]
    [TestCase("\n")]
    [TestCase("\r\n\r\n")]
    [TestCase(": just a comment\n")]
    public async Task Yields_nothing_for_an_empty_body(string body)
    {
        var events = await ReadAllAsync(Utf8Stream(body));

        Assert.That(events, Is.Empty);
    }

    [Test]
    public async Task Ignores_a_leading_utf8_byte_order_mark()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("data: x\n\n")).ToArray();

        var events = await ReadAllAsync(new MemoryStream(body));

        Assert.That(events.Select(e => e.Data), Is.EqualTo(new[] { "x" }));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task Reads_events_longer_than_64_KB_split_at_random_bytes(int seed)
    {
        string big = "{\"content\":\"" + new string('\u00e9', 100_000) + "\"}";
        var body = Encoding.UTF8.GetBytes($"data: {{}}\r\n\r\ndata: {big}\r\n\r\ndata: [DONE]\r\n\r\n");

        var events = await ReadAllAsync(new ScriptedBodyStream(body, new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = 9000 }));

        Assert.That(events.Select(e => e.Data), Is.EqualTo(new[] { "{}", big, "[DONE]" }));
    }

    [Test]
    public async Task Honours_a_token_given_through_WithCancellation()
    {
        var stream = TestStreams.Gated("data: one\n\n");
        using var cts = new CancellationTokenSource();
        await using var e = SseStreamReader.EnumerateAsync(stream, Utf8Parser, CancellationToken.None).GetAsyncEnumerator(cts.Token); // what WithCancellation(cts.Token) does
        Assert.That(await e.MoveNextAsync(), Is.True);

        var next = e.MoveNextAsync().AsTask();
        await stream.PauseReached.WaitAsync(SplitSeeds.HangGuard);
        await cts.CancelAsync();

        Assert.That(async () => await next.WaitAsync(SplitSeeds.HangGuard), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Yields_the_first_event_before_the_body_ends()
    {
        var stream = TestStreams.Gated("data: one\n\n", "data: two\n\n");
        await using var e = SseStreamReader.EnumerateAsync(stream, Utf8Parser, CancellationToken.None).GetAsyncEnumerator();

        Assert.That(await e.MoveNextAsync().AsTask().WaitAsync(SplitSeeds.HangGuard), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(e.Current.Data, Is.EqualTo("one"));
            Assert.That(stream.IsReleased, Is.False, "the first event must not wait for the rest of the body");
        });

        var next = e.MoveNextAsync().AsTask();
        await stream.PauseReached.WaitAsync(SplitSeeds.HangGuard);
        Assert.That(next.IsCompleted, Is.False);
        stream.Release();

        Assert.That(await next.WaitAsync(SplitSeeds.HangGuard), Is.True);
        Assert.That(e.Current.Data, Is.EqualTo("two"));
        Assert.That(await e.MoveNextAsync().AsTask().WaitAsync(SplitSeeds.HangGuard), Is.False);
    }

    [Test]
    public async Task Cancelling_a_blocked_read_throws_OperationCanceledException_promptly()
    {
        var stream = TestStreams.Gated("data: one\n\n");
        using var cts = new CancellationTokenSource();
        await using var e = SseStreamReader.EnumerateAsync(stream, Utf8Parser, cts.Token).GetAsyncEnumerator();
        Assert.That(await e.MoveNextAsync(), Is.True);

        var next = e.MoveNextAsync().AsTask();
        await stream.PauseReached.WaitAsync(SplitSeeds.HangGuard);
        await cts.CancelAsync();

        Assert.That(async () => await next.WaitAsync(SplitSeeds.HangGuard), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(stream.CancellationObserved.IsCompleted, Is.True, "the cancellation must reach the body's read");
    }

    [Test]
    public void Throws_OperationCanceledException_when_already_cancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.That(async () => await ReadAllAsync(Utf8Stream("data: x\n\n"), cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Rejects_null_arguments()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => SseStreamReader.EnumerateAsync<string>(null!, Utf8Parser, default), Throws.ArgumentNullException);
            Assert.That(() => SseStreamReader.EnumerateAsync<string>(Stream.Null, null!, default), Throws.ArgumentNullException);
        });
    }

    [Test]
    public async Task Hands_the_parser_the_event_type_and_raw_utf8_bytes()
    {
        var seen = new List<(string, byte[])>();
        SseItemParser<int> parser = (type, data) =>
        {
            seen.Add((type, data.ToArray()));
            return data.Length;
        };

        await foreach (var item in SseStreamReader.EnumerateAsync(Utf8Stream("event: x\ndata: \u00e9\n\n"), parser, CancellationToken.None))
        {
            Assert.That(item.Data, Is.EqualTo(2));
        }

        Assert.That(seen, Has.Count.EqualTo(1));
        Assert.That(seen[0].Item1, Is.EqualTo("x"));
        Assert.That(seen[0].Item2, Is.EqualTo(new byte[] { 0xC3, 0xA9 }));
    }

    internal static IEnumerable<TestCaseData> SeedsAndChunkSizes()
    {
        int[] sizes = [1, 2, 3, 5, 8, 13, 64];
        for (int i = 0; i < SplitSeeds.Seeds.Length; i++)
        {
            yield return new TestCaseData(SplitSeeds.Seeds[i], sizes[i % sizes.Length]);
        }
    }

    internal static IEnumerable<int> Seeds() => SplitSeeds.Seeds.Take(50);

    private static readonly SseItemParser<string> Utf8Parser = static (_, data) => Encoding.UTF8.GetString(data);

    private static MemoryStream Utf8Stream(string s) => new(Encoding.UTF8.GetBytes(s));

    private static async Task<List<SseItem<string>>> ReadAllAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var list = new List<SseItem<string>>();
        await foreach (var item in SseStreamReader.EnumerateAsync(stream, Utf8Parser, cancellationToken).ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }
}
