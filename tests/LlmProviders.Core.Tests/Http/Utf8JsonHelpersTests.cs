using System;
using System.Text;
using System.Text.Json;
using LlmProviders.Http;

namespace LlmProviders.Tests.Http;

/// <summary>The shared reader helpers: lenient about types, strict about syntax, and they leave the reader ready for the next property.</summary>
[TestFixture]
public sealed class Utf8JsonHelpersTests
{
    // Positions the reader on the property name "v" of {"v": <value>, "next": 1}.
    private static Utf8JsonReader OnValue(byte[] json)
    {
        var reader = new Utf8JsonReader(json, Utf8JsonHelpers.ReaderOptions);
        reader.Read();
        reader.Read();
        Assert.That(reader.TokenType, Is.EqualTo(JsonTokenType.PropertyName));
        return reader;
    }

    private static byte[] Doc(string value) => Encoding.UTF8.GetBytes("{\"v\": " + value + ", \"next\": 1}");

    // After a helper the next token must be the following property, whatever the value was.
    private static void AssertAtNext(ref Utf8JsonReader reader)
    {
        Assert.That(reader.Read(), Is.True);
        Assert.That(reader.TokenType, Is.EqualTo(JsonTokenType.PropertyName));
        Assert.That(reader.ValueTextEquals("next"u8), Is.True);
    }

    [TestCase("\"a\\u0062c\"", "abc")]
    [TestCase("null", null)]
    [TestCase("12", null)]
    [TestCase("{\"x\": [1, 2]}", null)]
    [TestCase("[\"a\"]", null)]
    public void ReadString_reads_strings_and_skips_anything_else(string value, string? expected)
    {
        var reader = OnValue(Doc(value));
        Assert.That(Utf8JsonHelpers.ReadString(ref reader), Is.EqualTo(expected));
        AssertAtNext(ref reader);
    }

    [Test]
    public void ReadStringCached_returns_the_cached_instance_when_the_text_matches()
    {
        var cached = new string("gpt-x".AsSpan());
        var reader = OnValue(Doc("\"gpt-x\""));
        Assert.That(Utf8JsonHelpers.ReadStringCached(ref reader, cached), Is.SameAs(cached));
        AssertAtNext(ref reader);

        reader = OnValue(Doc("\"gpt-y\""));
        Assert.That(Utf8JsonHelpers.ReadStringCached(ref reader, cached), Is.EqualTo("gpt-y"));

        reader = OnValue(Doc("\"gpt-y\""));
        Assert.That(Utf8JsonHelpers.ReadStringCached(ref reader, null), Is.EqualTo("gpt-y"));

        reader = OnValue(Doc("{}"));
        Assert.That(Utf8JsonHelpers.ReadStringCached(ref reader, cached), Is.Null);
        AssertAtNext(ref reader);
    }

    [TestCase("42", 42L)]
    [TestCase("-7", -7L)]
    [TestCase("1.5", null)]
    [TestCase("1e400", null)]
    [TestCase("\"42\"", null)]
    [TestCase("null", null)]
    [TestCase("{\"a\": 1}", null)]
    public void ReadInt64_reads_integers_only(string value, long? expected)
    {
        var reader = OnValue(Doc(value));
        Assert.That(Utf8JsonHelpers.ReadInt64(ref reader), Is.EqualTo(expected));
        AssertAtNext(ref reader);
    }

    [TestCase("true", true)]
    [TestCase("false", false)]
    [TestCase("\"true\"", false)]
    [TestCase("1", false)]
    [TestCase("[true]", false)]
    public void ReadBoolean_reads_booleans_only(string value, bool expected)
    {
        var reader = OnValue(Doc(value));
        Assert.That(Utf8JsonHelpers.ReadBoolean(ref reader), Is.EqualTo(expected));
        AssertAtNext(ref reader);
    }

    [TestCase("{\"a\": {\"b\": [1, {}]}}")]
    [TestCase("[1, 2, 3]")]
    [TestCase("\"s\"")]
    [TestCase("null")]
    public void SkipValue_skips_the_whole_value(string value)
    {
        var reader = OnValue(Doc(value));
        Utf8JsonHelpers.SkipValue(ref reader);
        AssertAtNext(ref reader);
    }

    [TestCase("{\"city\": \"Paris\"}", "{\"city\": \"Paris\"}")]
    [TestCase("[1,2]", "[1,2]")]
    [TestCase("\"{\\\"a\\\":1}\"", "{\"a\":1}")]
    [TestCase("null", "")]
    [TestCase("17", "17")]
    public void ReadRawValue_gives_raw_json_or_a_strings_text(string value, string expected)
    {
        var json = Doc(value);
        var reader = OnValue(json);
        Assert.That(Utf8JsonHelpers.ReadRawValue(ref reader, json), Is.EqualTo(expected));
        AssertAtNext(ref reader);
    }

    [TestCase("{\"cached_tokens\": 5, \"other\": {\"x\": 1}}", 5L)]
    [TestCase("{\"other\": 1}", null)]
    [TestCase("{\"cached_tokens\": \"5\"}", null)]
    [TestCase("null", null)]
    [TestCase("[1]", null)]
    public void ReadNestedInt64_reads_one_integer_of_an_object(string value, long? expected)
    {
        var reader = OnValue(Doc(value));
        Assert.That(Utf8JsonHelpers.ReadNestedInt64(ref reader, "cached_tokens"u8), Is.EqualTo(expected));
        AssertAtNext(ref reader);
    }

    [Test]
    public void EnsureEndObject_throws_unless_on_the_end_of_an_object()
    {
        var reader = new Utf8JsonReader("{}"u8, Utf8JsonHelpers.ReaderOptions);
        reader.Read();
        Assert.That(Throws(ref reader, static (ref Utf8JsonReader r) => Utf8JsonHelpers.EnsureEndObject(ref r)), Is.True);
        reader.Read();
        Assert.That(Throws(ref reader, static (ref Utf8JsonReader r) => Utf8JsonHelpers.EnsureEndObject(ref r)), Is.False);
    }

    [TestCase("{} \r\n\t", false)]
    [TestCase("{}{}", true)]
    public void EnsureEndOfDocument_allows_only_trailing_white_space(string json, bool throws)
    {
        // Several root values are allowed by the reader only when asked; the helper reports them.
        var options = Utf8JsonHelpers.ReaderOptions;
        options.AllowMultipleValues = true;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), options);
        reader.Read();
        reader.Skip();
        Assert.That(Throws(ref reader, static (ref Utf8JsonReader r) => Utf8JsonHelpers.EnsureEndOfDocument(ref r)), Is.EqualTo(throws));
    }

    [Test]
    public void EnsureEndOfDocument_fails_on_trailing_garbage_as_a_JsonException()
    {
        var reader = new Utf8JsonReader("{} x"u8, Utf8JsonHelpers.ReaderOptions);
        reader.Read();
        reader.Skip();
        Assert.That(Throws(ref reader, static (ref Utf8JsonReader r) => Utf8JsonHelpers.EnsureEndOfDocument(ref r)), Is.True);
    }

    [Test]
    public void ReaderOptions_are_strict_and_allow_deep_documents()
    {
        var options = Utf8JsonHelpers.ReaderOptions;
        Assert.That(options.MaxDepth, Is.EqualTo(256));
        Assert.That(options.AllowTrailingCommas, Is.False);
        Assert.That(options.CommentHandling, Is.EqualTo(JsonCommentHandling.Disallow));
    }

    [Test]
    public void StripBom_removes_only_a_leading_byte_order_mark()
    {
        Assert.That(Utf8JsonHelpers.StripBom("\uFEFF{}"u8).ToArray(), Is.EqualTo("{}"u8.ToArray()));
        Assert.That(Utf8JsonHelpers.StripBom("{}"u8).ToArray(), Is.EqualTo("{}"u8.ToArray()));
        Assert.That(Utf8JsonHelpers.StripBom(" \uFEFF"u8).ToArray(), Is.EqualTo(" \uFEFF"u8.ToArray()));
        Assert.That(Utf8JsonHelpers.StripBom(ReadOnlySpan<byte>.Empty).IsEmpty, Is.True);
    }

    private delegate void ReaderAction(ref Utf8JsonReader reader);

    private static bool Throws(ref Utf8JsonReader reader, ReaderAction action)
    {
        try
        {
            action(ref reader);
            return false;
        }
        catch (JsonException)
        {
            return true;
        }
    }
}
