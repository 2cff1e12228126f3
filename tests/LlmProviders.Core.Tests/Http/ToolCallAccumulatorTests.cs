using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using LlmProviders.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tests.Http;

[TestFixture]
public sealed class ToolCallAccumulatorTests
{
    [Test]
    public void Assembles_openai_style_fragments_with_id_and_name_on_the_first_only()
    {
        var acc = new ToolCallAccumulator();
        acc.Append(0, "call_abc", "get_weather", "");
        acc.Append(0, null, null, "{\"ci");
        acc.Append(0, null, null, "ty\": \"Par");
        acc.Append(0, null, null, "is\", \"days\": 3}");

        var call = acc.Complete().Single();

        Assert.Multiple(() =>
        {
            Assert.That(call.CallId, Is.EqualTo("call_abc"));
            Assert.That(call.Name, Is.EqualTo("get_weather"));
            Assert.That(call.Exception, Is.Null);
            Assert.That(Arg(call, "city").GetString(), Is.EqualTo("Paris"));
            Assert.That(Arg(call, "days").GetInt32(), Is.EqualTo(3));
        });
    }

    [Test]
    public void Joins_arguments_split_in_the_middle_of_escapes()
    {
        var acc = new ToolCallAccumulator();
        acc.Append(0, "c1", "search", "{\"q\":\"a\\");
        acc.Append(0, null, null, "\"b\\u00");
        acc.Append(0, null, null, "e9\\");
        acc.Append(0, null, null, "n\U0001F44B\"}");

        var call = acc.Complete().Single();

        Assert.That(Arg(call, "q").GetString(), Is.EqualTo("a\"b\u00e9\n\U0001F44B"));
    }

    [Test]
    public void Keeps_parallel_calls_apart_and_in_the_order_they_started()
    {
        var acc = new ToolCallAccumulator();
        acc.Append(0, "call_1", "get_weather", "{\"city\":");
        acc.Append(1, "call_2", "get_time", "{\"tz\":");
        acc.Append(1, null, null, "\"CET\"}");
        acc.Append(0, null, null, "\"Oslo\"}");
        acc.Append(2, "call_3", "noop", null);

        var calls = acc.Complete();

        Assert.That(calls.Select(c => (c.CallId, c.Name)), Is.EqualTo(new[] { ("call_1", "get_weather"), ("call_2", "get_time"), ("call_3", "noop") }));
        Assert.That(Arg(calls[0], "city").GetString(), Is.EqualTo("Oslo"));
        Assert.That(Arg(calls[1], "tz").GetString(), Is.EqualTo("CET"));
        Assert.That(calls[2].Arguments, Is.Empty);
    }

    [Test]
    public void Accepts_an_index_that_starts_at_one()
    {
        var acc = new ToolCallAccumulator();
        acc.Append(1, "toolu_1", "a", "{\"x\":");
        acc.Append(1, null, null, "1}");
        acc.Append(2, "toolu_2", "b", "{}");

        var calls = acc.Complete();

        Assert.That(calls.Select(c => c.CallId), Is.EqualTo(new[] { "toolu_1", "toolu_2" }));
        Assert.That(Arg(calls[0], "x").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void Takes_whole_calls_without_an_index_as_separate_calls()
    {
        // Mistral: each call whole, in one chunk, no index.
        var acc = new ToolCallAccumulator();
        acc.Append(null, "abc123def", "get_weather", "{\"city\":\"Paris\"}");
        acc.Append(null, "ghi456jkl", "get_weather", "{\"city\":\"Rome\"}");

        var calls = acc.Complete();

        Assert.That(calls.Select(c => Arg(c, "city").GetString()), Is.EqualTo(new[] { "Paris", "Rome" }));
    }

    [Test]
    public void Continues_the_last_call_for_a_fragment_without_index_id_or_name()
    {
        var acc = new ToolCallAccumulator();
        acc.Append(null, "c1", "f", "{\"a\"");
        acc.Append(null, null, null, ":1}");

        var call = acc.Complete().Single();

        Assert.That(Arg(call, "a").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void Continues_the_last_call_when_a_fragment_without_index_repeats_its_id()
    {
        var acc = new ToolCallAccumulator();
        acc.Append(null, "c1", "f", "{\"a\"");
        acc.Append(null, "c1", null, ":1");
        acc.Append(null, "c1", "f", "}");

        var call = acc.Complete().Single();

        Assert.That(Arg(call, "a").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void Treats_empty_ids_and_names_on_later_fragments_as_absent()
    {
        var acc = new ToolCallAccumulator();
        acc.Append(0, "call_1", "f", "{\"a\":");
        acc.Append(0, "", "", "2}");

        var call = acc.Complete().Single();

        Assert.That((call.CallId, call.Name), Is.EqualTo(("call_1", "f")));
        Assert.That(Arg(call, "a").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public void An_indexless_call_never_swallows_a_fragment_that_has_an_index()
    {
        var acc = new ToolCallAccumulator();
        acc.Append(null, "a", "f", "{}");
        acc.Append(0, "b", "g", "{}");

        Assert.That(acc.Complete().Select(c => c.CallId), Is.EqualTo(new[] { "a", "b" }));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void Empty_arguments_mean_an_empty_object(string? args)
    {
        var acc = new ToolCallAccumulator();
        acc.Append(0, "toolu_1", "list_files", args);

        var call = acc.Complete().Single();

        Assert.That(call.Exception, Is.Null);
        Assert.That(call.Arguments, Is.Not.Null.And.Empty);
        Assert.That(ToolCallJson.SerializeArguments(call.Arguments), Is.EqualTo("{}"));
    }

    [Test]
    public void Json_null_arguments_mean_an_empty_object()
    {
        var call = ToolCallJson.CreateCall("c", "f", "null");

        Assert.That(call.Exception, Is.Null);
        Assert.That(call.Arguments, Is.Not.Null.And.Empty);
    }

    [TestCase("{\"city\": \"Par")]
    [TestCase("{\"a\":1,}")]
    [TestCase("not json")]
    [TestCase("[1,2]")]
    public void Invalid_arguments_give_a_call_with_its_exception_instead_of_throwing(string args)
    {
        var acc = new ToolCallAccumulator();
        acc.Append(0, "call_1", "get_weather", args);

        IReadOnlyList<FunctionCallContent> calls = [];
        Assert.That(() => calls = acc.Complete(), Throws.Nothing);

        var call = calls.Single();
        Assert.That(call.Exception, Is.Not.Null);
        Assert.That((call.CallId, call.Name), Is.EqualTo(("call_1", "get_weather")));
    }

    [Test]
    public void Generates_ids_for_calls_the_provider_gave_none()
    {
        var acc = new ToolCallAccumulator();
        acc.Append(0, null, "a", "{}");
        acc.Append(1, null, "b", "{}");

        Assert.That(acc.Complete("ollama_").Select(c => c.CallId), Is.EqualTo(new[] { "ollama_0", "ollama_1" }));
    }

    [Test]
    public void Complete_empties_the_accumulator()
    {
        var acc = new ToolCallAccumulator();
        Assert.That(acc.HasCalls, Is.False);
        acc.Append(0, "c", "f", "{}");
        acc.Append(1, "d", "g", "{}");
        Assert.That(acc.HasCalls, Is.True);
        Assert.That(acc.Count, Is.EqualTo(2));

        Assert.That(acc.Complete(), Has.Count.EqualTo(2));

        Assert.That(acc.HasCalls, Is.False);
        Assert.That(acc.Complete(), Is.Empty);
    }

    [Test]
    public void Arguments_round_trip_through_serialize_and_parse()
    {
        const string json = "{\"city\":\"Paris\",\"days\":3,\"tags\":[\"a\",\"b\"],\"opts\":{\"metric\":true,\"x\":null},\"note\":\"caf\u00e9 \\\"q\\\"\"}";
        var call = ToolCallJson.CreateCall("c", "f", json);

        var serialized = ToolCallJson.SerializeArguments(call.Arguments);
        var again = ToolCallJson.CreateCall("c", "f", serialized);

        Assert.That(JsonNodesEqual(serialized, json), Is.True, serialized);
        Assert.That(serialized, Does.Not.Contain("\n").And.Not.Contain(": "), "arguments go back to the provider compact: whitespace is billed");
        Assert.That(ToolCallJson.SerializeArguments(again.Arguments), Is.EqualTo(serialized));
    }

    [Test]
    public void WriteArguments_writes_the_same_object_as_SerializeArguments()
    {
        var args = new Dictionary<string, object?> { ["city"] = "Oslo", ["n"] = 2, ["flag"] = true, ["none"] = null };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("arguments");
            ToolCallJson.WriteArguments(writer, args);
            writer.WriteEndObject();
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var written = doc.RootElement.GetProperty("arguments").GetRawText();
        Assert.That(JsonNodesEqual(written, ToolCallJson.SerializeArguments(args)), Is.True);
        Assert.That(JsonNodesEqual(written, "{\"city\":\"Oslo\",\"n\":2,\"flag\":true,\"none\":null}"), Is.True, written);
    }

    [Test]
    public void WriteArguments_writes_an_empty_object_for_no_arguments()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ToolCallJson.WriteArguments(writer, null);
        }

        Assert.That(Encoding.UTF8.GetString(buffer.WrittenSpan), Is.EqualTo("{}"));
        Assert.That(ToolCallJson.SerializeArguments(null), Is.EqualTo("{}"));
        Assert.That(ToolCallJson.SerializeArguments(new Dictionary<string, object?>()), Is.EqualTo("{}"));
    }

    [Test]
    public void Creates_a_call_from_an_arguments_object()
    {
        using var doc = JsonDocument.Parse("{\"args\":{\"city\":\"Rome\"},\"nothing\":null,\"list\":[1]}");

        var fromObject = ToolCallJson.CreateCall("c", "f", doc.RootElement.GetProperty("args"));
        var fromNull = ToolCallJson.CreateCall("c", "f", doc.RootElement.GetProperty("nothing"));
        var fromMissing = ToolCallJson.CreateCall("c", "f", default(JsonElement));
        var fromArray = ToolCallJson.CreateCall("c", "f", doc.RootElement.GetProperty("list"));

        Assert.Multiple(() =>
        {
            Assert.That(Arg(fromObject, "city").GetString(), Is.EqualTo("Rome"));
            Assert.That(fromNull.Arguments, Is.Empty);
            Assert.That(fromMissing.Arguments, Is.Empty);
            Assert.That(fromArray.Exception, Is.Not.Null);
        });
    }

    [Test]
    public void Serializes_tool_results_to_text()
    {
        using var doc = JsonDocument.Parse("{\"temp\":21}");

        Assert.Multiple(() =>
        {
            Assert.That(ToolCallJson.SerializeResult(null), Is.Empty);
            Assert.That(ToolCallJson.SerializeResult("sunny"), Is.EqualTo("sunny"));
            Assert.That(ToolCallJson.SerializeResult(doc.RootElement), Is.EqualTo("{\"temp\":21}"));
            Assert.That(ToolCallJson.SerializeResult(42), Is.EqualTo("42"));
            Assert.That(ToolCallJson.SerializeResult(new Dictionary<string, object?> { ["ok"] = true }), Is.EqualTo("{\"ok\":true}"));
        });
    }

    private static JsonElement Arg(FunctionCallContent call, string name)
    {
        Assert.That(call.Arguments, Is.Not.Null, call.Exception?.ToString());
        var value = call.Arguments![name];
        return value is JsonElement e ? e : JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object)));
    }

    private static bool JsonNodesEqual(string a, string b)
    {
        using var x = JsonDocument.Parse(a);
        using var y = JsonDocument.Parse(b);
        return JsonElement.DeepEquals(x.RootElement, y.RootElement);
    }
}
