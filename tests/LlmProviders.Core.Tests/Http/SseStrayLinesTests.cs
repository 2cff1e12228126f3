using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using LlmProviders.Testing.Http;

namespace LlmProviders.Tests.Http;

/// <summary>
/// <see cref="SseStreamReader"/> with stray lines read as data: text outside the SSE framing (Gemini's raw JSON error
/// mid-stream) arrives as an <see cref="SseStreamReader.UnframedEventType"/> event instead of being dropped.
/// </summary>
[TestFixture]
public sealed class SseStrayLinesTests
{
    private const string RawErrorMidStream =
        "data: {\"n\":1}\r\n\r\n" +
        "data: {\"n\":2}\r\n\r\n" +
        "{\r\n  \"error\": {\r\n    \"code\": 500,\r\n    \"message\": \"Internal é error\"\r\n  }\r\n}\r\n";

    private static async Task<List<(string Type, string Data)>> ReadAsync(Stream body, bool strayLinesAsData)
    {
        var events = new List<(string, string)>();
        await foreach (var item in SseStreamReader.EnumerateAsync(body, static (type, data) => (type, Encoding.UTF8.GetString(data)), strayLinesAsData, CancellationToken.None))
        {
            events.Add(item.Data);
        }

        return events;
    }

    private static ScriptedBodyStream Split(string body, int seed) =>
        new ScriptedBodyStream(Encoding.UTF8.GetBytes(body), new ScriptedBodyOptions { SplitSeed = seed, MaxReadSize = 7 });

    [Test]
    public async Task Raw_json_error_mid_stream_arrives_as_one_unframed_event([Range(1, 30)] int seed)
    {
        var events = await ReadAsync(Split(RawErrorMidStream, seed), strayLinesAsData: true);

        Assert.That(events, Has.Count.EqualTo(3));
        Assert.That(events[0], Is.EqualTo(("message", "{\"n\":1}")));
        Assert.That(events[1], Is.EqualTo(("message", "{\"n\":2}")));
        Assert.That(events[2].Type, Is.EqualTo(SseStreamReader.UnframedEventType));
        Assert.That(events[2].Data, Is.EqualTo("{\n  \"error\": {\n    \"code\": 500,\n    \"message\": \"Internal é error\"\n  }\n}"));
    }

    [Test]
    public async Task Without_the_option_the_raw_error_is_dropped_as_the_SSE_specification_says()
    {
        var events = await ReadAsync(Split(RawErrorMidStream, 3), strayLinesAsData: false);

        Assert.That(events, Is.EqualTo(new[] { ("message", "{\"n\":1}"), ("message", "{\"n\":2}") }));
    }

    [Test]
    public async Task Fields_comments_and_line_ends_pass_through_unchanged([Range(1, 20)] int seed)
    {
        const string Body = ": keep-alive\n\nevent: delta\ndata: a\ndata: b\nid: 7\nretry: 100\n\r\ndata\rdata: c\r\n\r\ndata: last";

        var framed = await ReadAsync(Split(Body, seed), strayLinesAsData: true);
        var plain = await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(Body)), strayLinesAsData: false);

        Assert.That(framed, Is.EqualTo(plain));
        Assert.That(framed, Is.EqualTo(new[] { ("delta", "a\nb"), ("message", "\nc"), ("message", "last") }));
    }

    [Test]
    public async Task A_stray_last_line_without_a_line_end_is_still_delivered()
    {
        var events = await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes("data: {\"n\":1}\n\n<html>Bad gateway</html>")), strayLinesAsData: true);

        Assert.That(events, Is.EqualTo(new[] { ("message", "{\"n\":1}"), (SseStreamReader.UnframedEventType, "<html>Bad gateway</html>") }));
    }
}
