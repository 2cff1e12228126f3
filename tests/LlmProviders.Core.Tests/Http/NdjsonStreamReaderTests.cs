using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using LlmProviders.Testing.Http;

namespace LlmProviders.Tests.Http;

[TestFixture]
public sealed class NdjsonStreamReaderTests
{
    private static readonly string[] RichLines =
    [
        "{\"model\":\"llama3\",\"message\":{\"content\":\"caf\u00e9\"},\"done\":false}",
        "{\"message\":{\"content\":\" \u00f7 \U0001F44B\"},\"done\":false}",
        "{\"done\":true,\"eval_count\":12}",
    ];

    [TestCase("\n")]
    [TestCase("\r\n")]
    [TestCase("\r")]
    public async Task Reads_every_line_with_each_line_ending(string eol)
    {
        var lines = await ReadAllAsync(Utf8Stream(string.Join(eol, RichLines) + eol));

        Assert.That(lines, Is.EqualTo(RichLines));
    }

    [TestCaseSource(nameof(SeedsChunkSizesAndEndings))]
    public async Task Reads_the_same_lines_when_reads_split_the_body_at_random_bytes(int seed, int maxChunk, string eol)
    {
        var body = Encoding.UTF8.GetBytes(eol + string.Join(eol + eol, RichLines) + eol);

        var lines = await ReadAllAsync(new ScriptedBodyStream(body, new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = maxChunk }));

        Assert.That(lines, Is.EqualTo(RichLines), $"seed {seed}, reads of 1..{maxChunk} bytes, eol {Escape(eol)}");
    }

    [Test]
    public async Task Decodes_multibyte_utf8_split_at_every_byte_of_the_body()
    {
        var body = Encoding.UTF8.GetBytes("{\"t\":\"\u00e9\u00f7\U0001F44B\"}\r\n{\"t\":\"\U0001F44B\"}");
        for (int split = 1; split < body.Length; split++)
        {
            var lines = await ReadAllAsync(new ChunkStream(body[..split], body[split..]));

            Assert.That(lines, Is.EqualTo(new[] { "{\"t\":\"\u00e9\u00f7\U0001F44B\"}", "{\"t\":\"\U0001F44B\"}" }), $"split at byte {split}");
        }
    }

    [Test]
    public async Task Treats_a_crlf_pair_split_across_reads_as_one_line_end()
    {
        var lines = await ReadAllAsync(ChunkStream.FromStrings("{\"a\":1}\r", "\n{\"a\":2}\r", "\n\r", "\n{\"a\":3}\r\n"));

        Assert.That(lines, Is.EqualTo(new[] { "{\"a\":1}", "{\"a\":2}", "{\"a\":3}" }));
    }

    [Test]
    public async Task Skips_blank_and_whitespace_only_lines()
    {
        var lines = await ReadAllAsync(Utf8Stream("\n\n{\"a\":1}\n   \n\t\r\n\r\n{\"a\":2}\n\n"));

        Assert.That(lines, Is.EqualTo(new[] { "{\"a\":1}", "{\"a\":2}" }));
    }

    [Test]
    public async Task Ignores_a_leading_utf8_byte_order_mark()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"a\":2}\n")).ToArray();

        var lines = await ReadAllAsync(new ScriptedBodyStream(body, new ScriptedBodyOptions { SplitSeed = 5, MaxReadSize = 2 }));

        Assert.That(lines, Is.EqualTo(new[] { "{\"a\":1}", "{\"a\":2}" }));
    }

    [Test]
    public async Task Trims_surrounding_spaces_and_tabs_from_a_line()
    {
        var lines = await ReadAllAsync(Utf8Stream("  {\"a\":1}\t \n"));

        Assert.That(lines, Is.EqualTo(new[] { "{\"a\":1}" }));
    }

    [TestCase("{\"done\":true}", TestName = "Delivers_last_line_without_line_end(no newline)")]
    [TestCase("{\"done\":true}\r", TestName = "Delivers_last_line_without_line_end(bare CR)")]
    [TestCase("{\"done\":true}  ", TestName = "Delivers_last_line_without_line_end(trailing spaces)")]
    public async Task Delivers_last_line_without_line_end(string last)
    {
        var lines = await ReadAllAsync(Utf8Stream("{\"a\":1}\n" + last));

        Assert.That(lines, Is.EqualTo(new[] { "{\"a\":1}", "{\"done\":true}" }));
    }

    [TestCaseSource(nameof(Seeds))]
    public async Task Delivers_last_line_without_line_end_when_split_at_random_bytes(int seed)
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":1}\r\n{\"done\":true}");

        var lines = await ReadAllAsync(new ScriptedBodyStream(body, new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = 4 }));

        Assert.That(lines, Is.EqualTo(new[] { "{\"a\":1}", "{\"done\":true}" }));
    }

    [TestCase("")]
    [TestCase("\n")]
    [TestCase("\r\n \r\n")]
    public async Task Yields_nothing_for_an_empty_body(string body)
    {
        var lines = await ReadAllAsync(Utf8Stream(body));

        Assert.That(lines, Is.Empty);
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(42)]
    public async Task Reads_lines_longer_than_64_KB_spanning_many_segments(int seed)
    {
        string big1 = MakeJsonLine(70_000, 'x');
        string big2 = MakeJsonLine(300_000, '\u00e9');
        var body = Encoding.UTF8.GetBytes("{\"a\":1}\n" + big1 + "\r\n" + big2 + "\n{\"done\":true}");

        var lines = await ReadAllAsync(new ScriptedBodyStream(body, new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = 9000 }));

        Assert.That(lines, Has.Count.EqualTo(4));
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("{\"a\":1}"));
            Assert.That(lines[1], Is.EqualTo(big1));
            Assert.That(lines[2], Is.EqualTo(big2));
            Assert.That(lines[3], Is.EqualTo("{\"done\":true}"));
        });
    }

    [Test]
    public async Task Reads_a_long_last_line_without_line_end()
    {
        string big = MakeJsonLine(200_000, 'q');

        var lines = await ReadAllAsync(new ScriptedBodyStream(Encoding.UTF8.GetBytes(big), new ScriptedBodyOptions { SplitSeed = 3, MaxReadSize = 4096 }));

        Assert.That(lines, Is.EqualTo(new[] { big }));
    }

    [Test]
    public async Task Hands_the_parser_a_line_it_can_deserialize()
    {
        var values = new List<int>();
        await foreach (var v in NdjsonStreamReader.EnumerateAsync(Utf8Stream("{\"n\":1}\n{\"n\":2}\n"), static line => JsonDocument.Parse(line.ToArray()).RootElement.GetProperty("n").GetInt32(), CancellationToken.None))
        {
            values.Add(v);
        }

        Assert.That(values, Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task Yields_the_first_line_before_the_body_ends()
    {
        var stream = TestStreams.Gated("{\"a\":1}\n", "{\"a\":2}\n");
        await using var e = NdjsonStreamReader.EnumerateAsync(stream, Utf8Parser, CancellationToken.None).GetAsyncEnumerator();

        var first = e.MoveNextAsync().AsTask();
        await Task.WhenAny(first, stream.PauseReached).WaitAsync(SplitSeeds.HangGuard);
        Assert.That(first.IsCompleted, Is.True, "the first line must be yielded before the rest of the body arrives");
        Assert.That(await first, Is.True);
        Assert.That(e.Current, Is.EqualTo("{\"a\":1}"));

        var next = e.MoveNextAsync().AsTask();
        await stream.PauseReached.WaitAsync(SplitSeeds.HangGuard);
        Assert.That(next.IsCompleted, Is.False);
        stream.Release();

        Assert.That(await next.WaitAsync(SplitSeeds.HangGuard), Is.True);
        Assert.That(e.Current, Is.EqualTo("{\"a\":2}"));
        Assert.That(await e.MoveNextAsync().AsTask().WaitAsync(SplitSeeds.HangGuard), Is.False);
    }

    [Test]
    public async Task Yields_a_cr_terminated_line_without_waiting_for_the_next_byte()
    {
        // The server sent "…}\r" and then nothing yet: the line is complete (a following LF would only end a blank line).
        var stream = TestStreams.Gated("{\"a\":1}\r", "\n{\"a\":2}\r\n");
        await using var e = NdjsonStreamReader.EnumerateAsync(stream, Utf8Parser, CancellationToken.None).GetAsyncEnumerator();

        var first = e.MoveNextAsync().AsTask();
        await Task.WhenAny(first, stream.PauseReached).WaitAsync(SplitSeeds.HangGuard);
        Assert.That(first.IsCompleted, Is.True, "a CR-terminated line must not wait for the next read");
        Assert.That(e.Current, Is.EqualTo("{\"a\":1}"));

        stream.Release();
        Assert.That(await e.MoveNextAsync().AsTask().WaitAsync(SplitSeeds.HangGuard), Is.True);
        Assert.That(e.Current, Is.EqualTo("{\"a\":2}"));
        Assert.That(await e.MoveNextAsync().AsTask().WaitAsync(SplitSeeds.HangGuard), Is.False);
    }

    [Test]
    public async Task Cancelling_a_blocked_read_throws_OperationCanceledException_promptly()
    {
        var stream = TestStreams.Gated("{\"a\":1}\n");
        using var cts = new CancellationTokenSource();
        await using var e = NdjsonStreamReader.EnumerateAsync(stream, Utf8Parser, cts.Token).GetAsyncEnumerator();
        Assert.That(await e.MoveNextAsync(), Is.True);

        var next = e.MoveNextAsync().AsTask();
        await stream.PauseReached.WaitAsync(SplitSeeds.HangGuard);
        await cts.CancelAsync();

        Assert.That(async () => await next.WaitAsync(SplitSeeds.HangGuard), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(stream.CancellationObserved.IsCompleted, Is.True, "the cancellation must reach the body's read");
    }

    [Test]
    public async Task Honours_a_token_given_through_WithCancellation()
    {
        var stream = TestStreams.Gated("{\"a\":1}\n");
        using var cts = new CancellationTokenSource();
        await using var e = NdjsonStreamReader.EnumerateAsync(stream, Utf8Parser, CancellationToken.None).GetAsyncEnumerator(cts.Token); // what WithCancellation(cts.Token) does
        Assert.That(await e.MoveNextAsync(), Is.True);

        var next = e.MoveNextAsync().AsTask();
        await stream.PauseReached.WaitAsync(SplitSeeds.HangGuard);
        await cts.CancelAsync();

        Assert.That(async () => await next.WaitAsync(SplitSeeds.HangGuard), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(stream.CancellationObserved.IsCompleted, Is.True);
    }

    [Test]
    public void Throws_OperationCanceledException_when_already_cancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.That(async () => await ReadAllAsync(Utf8Stream("{\"a\":1}\n"), cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Lets_a_parser_failure_propagate()
    {
        var body = Utf8Stream("{\"a\":1}\n{\"a\":\n");

        Assert.That(
            async () =>
            {
                await foreach (var _ in NdjsonStreamReader.EnumerateAsync(body, static line => JsonDocument.Parse(line.ToArray()), CancellationToken.None))
                {
                }
            },
            Throws.InstanceOf<JsonException>());
    }

    [Test]
    public async Task Leaves_the_body_open_for_its_owner()
    {
        var body = Utf8Stream("{\"a\":1}\n");

        await ReadAllAsync(body);

        Assert.That(body.CanRead, Is.True);
    }

    [Test]
    public async Task Stops_reading_when_the_consumer_stops_early()
    {
        var stream = TestStreams.Gated("{\"a\":1}\n{\"a\":2}\n");
        await foreach (var line in NdjsonStreamReader.EnumerateAsync(stream, Utf8Parser, CancellationToken.None))
        {
            Assert.That(line, Is.EqualTo("{\"a\":1}"));
            break;
        }

        Assert.That(stream.PauseReached.IsCompleted, Is.False, "no read past the buffered data after the consumer left");
    }

    [Test]
    public void Rejects_null_arguments()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => NdjsonStreamReader.EnumerateAsync<string>(null!, Utf8Parser, default).GetAsyncEnumerator().MoveNextAsync().AsTask(), Throws.ArgumentNullException);
            Assert.That(() => NdjsonStreamReader.EnumerateAsync<string>(Stream.Null, null!, default).GetAsyncEnumerator().MoveNextAsync().AsTask(), Throws.ArgumentNullException);
        });
    }

    internal static IEnumerable<TestCaseData> SeedsChunkSizesAndEndings()
    {
        int[] sizes = [1, 2, 3, 5, 8, 13, 64];
        string[] endings = ["\n", "\r\n", "\r"];
        for (int i = 0; i < SplitSeeds.Seeds.Length; i++)
        {
            yield return new TestCaseData(SplitSeeds.Seeds[i], sizes[i % sizes.Length], endings[i % endings.Length]);
        }
    }

    internal static IEnumerable<int> Seeds() => SplitSeeds.Seeds.Take(50);

    private static readonly NdjsonLineParser<string> Utf8Parser = static line => Encoding.UTF8.GetString(line);

    private static MemoryStream Utf8Stream(string s) => new(Encoding.UTF8.GetBytes(s));

    private static string MakeJsonLine(int length, char fill) => "{\"content\":\"" + new string(fill, length) + "\",\"done\":false}";

    private static string Escape(string s) => s.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static async Task<List<string>> ReadAllAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var list = new List<string>();
        await foreach (var item in NdjsonStreamReader.EnumerateAsync(stream, Utf8Parser, cancellationToken).ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }
}
