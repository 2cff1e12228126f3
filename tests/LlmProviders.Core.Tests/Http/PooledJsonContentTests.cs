using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using RichardSzalay.MockHttp;

namespace LlmProviders.Tests.Http;

[TestFixture]
public sealed class PooledJsonContentTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Test]
    public async Task Writes_exactly_the_json_with_its_length_and_media_type()
    {
        using var content = PooledJsonContent.Create(("gpt-4o", 0.5), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("model", s.Item1);
            w.WriteNumber("temperature", s.Item2);
            w.WriteString("text", "caf\u00e9 \u00f7 <b>");
            w.WriteEndObject();
        });

        var bytes = await content.ReadAsByteArrayAsync();

        const string expected = "{\"model\":\"gpt-4o\",\"temperature\":0.5,\"text\":\"caf\u00e9 \u00f7 <b>\"}";
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo(expected), "non-ASCII text is written as UTF-8, not escaped");
            Assert.That(content.Json.ToArray(), Is.EqualTo(bytes));
            Assert.That(content.Headers.ContentLength, Is.EqualTo(Encoding.UTF8.GetByteCount(expected)));
            Assert.That(content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
            Assert.That(content.Headers.ContentType.CharSet, Is.EqualTo("utf-8"));
        });
    }

    [Test]
    public async Task Sends_exactly_the_json_through_HttpClient()
    {
        byte[]? received = null;
        using var mock = new MockHttpMessageHandler();
        mock.When("https://api.example.test/*").Respond(async request =>
        {
            received = await request.Content!.ReadAsByteArrayAsync();
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var client = mock.ToHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.example.test/v1")
        {
            Content = PooledJsonContent.Create(42, static (w, n) =>
            {
                w.WriteStartObject();
                w.WriteNumber("n", n);
                w.WriteEndObject();
            }),
        };

        using var response = await client.SendAsync(request);

        Assert.That(Encoding.UTF8.GetString(received!), Is.EqualTo("{\"n\":42}"));
    }

    [Test]
    public async Task Serializes_synchronously_and_asynchronously_to_the_same_bytes()
    {
        using var content = PooledJsonContent.Create(0, static (w, _) => w.WriteStringValue("x"));
        using var sync = new MemoryStream();
        using var async = new MemoryStream();

        content.CopyTo(sync, null, CancellationToken.None);
        await content.CopyToAsync(async);

        Assert.That(sync.ToArray(), Is.EqualTo(async.ToArray()).And.EqualTo("\"x\""u8.ToArray()));
    }

    [Test]
    public void Gives_up_its_buffer_when_disposed()
    {
        var content = PooledJsonContent.Create(0, static (w, _) => w.WriteStringValue("x"));

        content.Dispose();

        Assert.That(content.Json.IsEmpty, Is.True);
        Assert.That(() => content.ReadAsStream(), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(content.Dispose, Throws.Nothing, "disposing twice is harmless");
    }

    [Test]
    public async Task Racing_disposals_give_the_buffer_back_once()
    {
        // A buffer returned twice would be handed to two later renters at once; after racing disposals, every body
        // built afterwards must still hold exactly its own bytes.
        for (int round = 0; round < 200; round++)
        {
            var content = PooledJsonContent.Create(round, static (w, n) => w.WriteNumberValue(n));
            using var go = new ManualResetEventSlim();
            var a = Task.Run(() =>
            {
                go.Wait();
                content.Dispose();
            });
            var b = Task.Run(() =>
            {
                go.Wait();
                content.Dispose();
            });
            go.Set();
            await Task.WhenAll(a, b);
        }

        using var first = PooledJsonContent.Create(0, static (w, _) => w.WriteStringValue("first"));
        using var second = PooledJsonContent.Create(0, static (w, _) => w.WriteStringValue("second"));
        Assert.That(Encoding.UTF8.GetString(first.Json.Span), Is.EqualTo("\"first\""));
        Assert.That(Encoding.UTF8.GetString(second.Json.Span), Is.EqualTo("\"second\""));
    }

    [Test]
    public async Task Grows_correctly_for_bodies_over_a_megabyte()
    {
        var messages = Enumerable.Range(0, 30_000).Select(i => "message number " + i.ToString(CultureInfo.InvariantCulture) + " caf\u00e9 \U0001F44B").ToArray();
        var expected = JsonSerializer.Serialize(new { messages }, Relaxed);

        using var content = PooledJsonContent.Create(messages, static (w, m) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("messages");
            foreach (var s in m)
            {
                w.WriteStringValue(s);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

        var bytes = await content.ReadAsByteArrayAsync();
        Assert.That(bytes.Length, Is.GreaterThan(1024 * 1024));
        Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo(expected));
        Assert.That(content.Headers.ContentLength, Is.EqualTo(bytes.Length));
    }

    [Test]
    public void Writes_a_single_huge_string_value()
    {
        var big = new string('x', 3 * 1024 * 1024);

        using var content = PooledJsonContent.Create(big, static (w, s) => w.WriteStringValue(s));

        Assert.That(content.Json.Length, Is.EqualTo(big.Length + 2));
    }

    [Test]
    public async Task Creates_correct_bodies_on_many_threads_at_once()
    {
        const int Count = 2000;
        var failures = 0;
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, Environment.ProcessorCount * 2).Select(worker => Task.Run(() =>
        {
            start.Wait();
            for (int i = worker; i < Count; i += Environment.ProcessorCount * 2)
            {
                int size = i % 50 == 0 ? 20_000 : i % 7;
                using var content = PooledJsonContent.Create((i, size), static (w, s) =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("i", s.i);
                    w.WriteString("pad", new string('p', s.size));
                    w.WriteEndObject();
                });

                var expected = "{\"i\":" + i.ToString(CultureInfo.InvariantCulture) + ",\"pad\":\"" + new string('p', size) + "\"}";
                if (Encoding.UTF8.GetString(content.Json.Span) != expected || content.Headers.ContentLength != expected.Length)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        start.Set();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(failures, Is.Zero);
    }

    [Test]
    public void Builds_a_body_inside_another_bodys_writer()
    {
        PooledJsonContent? inner = null;

        using var outer = PooledJsonContent.Create(0, (w, _) =>
        {
            w.WriteStartObject();
            w.WriteString("a", "outer-1");
            inner = PooledJsonContent.Create(0, static (w2, _) =>
            {
                w2.WriteStartObject();
                w2.WriteString("b", "inner");
                w2.WriteEndObject();
            });
            w.WriteString("c", "outer-2");
            w.WriteEndObject();
        });

        using (inner)
        {
            Assert.That(Encoding.UTF8.GetString(outer.Json.Span), Is.EqualTo("{\"a\":\"outer-1\",\"c\":\"outer-2\"}"));
            Assert.That(Encoding.UTF8.GetString(inner!.Json.Span), Is.EqualTo("{\"b\":\"inner\"}"));
        }
    }

    [Test]
    public void Starts_clean_after_a_writer_callback_threw()
    {
        Assert.That(
            () => PooledJsonContent.Create(0, static (w, _) =>
            {
                w.WriteStartObject();
                w.WriteStartArray("half");
                throw new InvalidOperationException("caller bug");
            }),
            Throws.InvalidOperationException.With.Message.EqualTo("caller bug"));

        using var content = PooledJsonContent.Create(0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteEndObject();
        });

        Assert.That(Encoding.UTF8.GetString(content.Json.Span), Is.EqualTo("{}"));
    }

    [Test]
    public void Refuses_incomplete_json()
    {
        Assert.That(
            () => PooledJsonContent.Create(0, static (w, _) =>
            {
                w.WriteStartObject();
                w.WriteString("model", "x");
            }),
            Throws.InvalidOperationException.With.Message.Contains("incomplete"));
    }

    [Test]
    public void Changing_one_bodys_content_type_leaves_the_others_alone()
    {
        using var a = PooledJsonContent.Create(0, static (w, _) => w.WriteNullValue());
        using var b = PooledJsonContent.Create(0, static (w, _) => w.WriteNullValue());

        a.Headers.ContentType!.CharSet = null;

        Assert.That(b.Headers.ContentType!.CharSet, Is.EqualTo("utf-8"));
        using var c = PooledJsonContent.Create(0, static (w, _) => w.WriteNullValue());
        Assert.That(c.Headers.ContentType!.CharSet, Is.EqualTo("utf-8"));
    }

    [Test]
    public void Rejects_a_null_writer()
    {
        Assert.That(() => PooledJsonContent.Create<int>(0, null!), Throws.ArgumentNullException);
    }
}
