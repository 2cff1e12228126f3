using System;
using LlmProviders.Http;

namespace LlmProviders.Tests.Http;

[TestFixture]
public sealed class SecretRedactorTests
{
    private const string OpenAIKey = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9o";
    private const string PlainKey = "0123456789abcdef0123456789abcdef";

    [TestCase("sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ")]
    [TestCase(OpenAIKey)]
    [TestCase("sk-ant-api03-Xy9_Zz-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrstuvwxyzAB-CDEFGHAA")]
    [TestCase("sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [TestCase("sk-svcacct-AbCdEfGhIjKlMnOpQrStUvWxYz0123")]
    [TestCase("AIzaSyA-1234567890abcdefghijklmnopqrstu")]
    [TestCase("gsk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")]
    [TestCase("xai-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")]
    [TestCase("hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345")]
    [TestCase("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ")]
    public void Removes_a_key_shaped_token_without_being_told_the_key(string key)
    {
        var text = $"The key {key} was rejected.";

        var redacted = SecretRedactor.Redact(text);

        Assert.That(redacted, Is.EqualTo($"The key {SecretRedactor.Mask} was rejected."));
    }

    [Test]
    public void Removes_openais_partly_masked_echo_entirely()
    {
        const string body = "{\"error\":{\"message\":\"Incorrect API key provided: sk-abc*****wxyz. You can find your API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";

        var redacted = SecretRedactor.Redact(body);

        Assert.That(redacted, Does.Not.Contain("sk-").And.Not.Contain("abc").And.Not.Contain("wxyz").And.Not.Contain("***"));
        Assert.That(redacted, Does.Contain("Incorrect API key provided: " + SecretRedactor.Mask));
        Assert.That(redacted, Does.Contain("invalid_api_key"));
    }

    [Test]
    public void Keeps_the_rest_of_a_compact_json_body_after_an_echoed_key()
    {
        const string body = "{\"error\":{\"message\":\"Incorrect API key provided: sk-abc*****wxyz.\",\"code\":\"invalid_api_key\"}}";

        Assert.That(SecretRedactor.Redact(body), Is.EqualTo("{\"error\":{\"message\":\"Incorrect API key provided: [redacted].\",\"code\":\"invalid_api_key\"}}"));
        Assert.That(SecretRedactor.Redact("Incorrect API key provided: ab12cd34.", "zz"), Is.EqualTo("Incorrect API key provided: [redacted]."));
    }

    [TestCase("sk-abc\u2026wxyz")]
    [TestCase("sk-abc...wxyz")]
    [TestCase("sk-proj-****************************************wxyz")]
    public void Removes_other_masked_echo_forms(string echo)
    {
        var redacted = SecretRedactor.Redact($"key {echo} is invalid");

        Assert.That(redacted, Is.EqualTo($"key {SecretRedactor.Mask} is invalid"));
    }

    [TestCase("Authorization: Bearer abcdefghijklmnop1234")]
    [TestCase("authorization: bearer abcdefghijklmnop1234")]
    [TestCase("AUTHORIZATION: BEARER abcdefghijklmnop1234")]
    [TestCase("{\"Authorization\": \"Bearer abcdefghijklmnop1234\"}")]
    [TestCase("Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l")]
    public void Removes_bearer_and_basic_credentials(string text)
    {
        var redacted = SecretRedactor.Redact(text);

        Assert.That(redacted, Does.Contain(SecretRedactor.Mask));
        Assert.That(redacted, Does.Not.Contain("abcdefghijklmnop1234").And.Not.Contain("YWxhZGRpbjpvcGVuc2VzYW1l"));
    }

    [TestCase("GET https://generativelanguage.googleapis.com/v1beta/models?key=MYSECRET12345 failed", "MYSECRET12345")]
    [TestCase("https://x.example/v1?alt=sse&key=MYSECRET12345&foo=1", "MYSECRET12345")]
    [TestCase("https://x.example/v1?api-key=MYSECRET12345", "MYSECRET12345")]
    [TestCase("{\"api_key\": \"0123456789abcdef0123\"}", "0123456789abcdef0123")]
    [TestCase("header api-key: 0123456789abcdef0123 was wrong", "0123456789abcdef0123")]
    [TestCase("x-goog-api-key=zzzzzzzzzzzz9", "zzzzzzzzzzzz9")]
    [TestCase("client_secret: \"s3cr3t-value-x\"", "s3cr3t-value-x")]
    public void Removes_credentials_named_in_query_strings_json_and_headers(string text, string secret)
    {
        var redacted = SecretRedactor.Redact(text);

        Assert.That(redacted, Does.Not.Contain(secret));
        Assert.That(redacted, Does.Contain(SecretRedactor.Mask));
    }

    [Test]
    public void Removes_the_configured_key_whatever_its_shape()
    {
        var text = $"Access denied due to invalid subscription key {PlainKey}; key={PlainKey}.";

        var redacted = SecretRedactor.Redact(text, PlainKey);

        Assert.That(redacted, Does.Not.Contain(PlainKey));
        Assert.That(redacted, Does.StartWith("Access denied due to invalid subscription key " + SecretRedactor.Mask));
    }

    [TestCase("01234567*****cdef")]
    [TestCase("012345\u2026cdef")]
    [TestCase("012345...cdef")]
    [TestCase("0123456789ab")]
    [TestCase("****************cdef")]
    public void Removes_a_partial_echo_of_the_configured_key(string echo)
    {
        var redacted = SecretRedactor.Redact($"key '{echo}' is not valid", PlainKey);

        Assert.That(redacted, Is.EqualTo($"key '{SecretRedactor.Mask}' is not valid"));
    }

    [Test]
    public void Leaves_no_part_of_a_long_key_behind()
    {
        var text = $"a {OpenAIKey} b Bearer {OpenAIKey} c Incorrect API key provided: {OpenAIKey[..6]}*****{OpenAIKey[^4..]}.";

        var redacted = SecretRedactor.Redact(text, OpenAIKey);

        for (int i = 0; i + 8 <= OpenAIKey.Length; i++)
        {
            Assert.That(redacted, Does.Not.Contain(OpenAIKey.Substring(i, 8)), $"fragment at {i}");
        }

        Assert.That(redacted, Does.Not.Contain(OpenAIKey[^4..]));
    }

    [TestCase("The quick brown fox jumps over the lazy dog.")]
    [TestCase("Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29000. Please try again in 2s.")]
    [TestCase("The task-force has a risk-free plan; ask-me anything about scikit-learn and sk-learn.")]
    [TestCase("This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.")]
    [TestCase("{\"error\":{\"message\":\"model not found\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}")]
    [TestCase("{\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3},\"max_tokens\":100}")]
    [TestCase("The bearer of bad news is late.")]
    [TestCase("caf\u00e9 \u00f7 \U0001F44B")]
    [TestCase("request id req_0123456789abcdef, see https://status.openai.com/?page=2")]
    public void Leaves_normal_text_untouched(string text)
    {
        Assert.That(SecretRedactor.Redact(text), Is.EqualTo(text));
    }

    [Test]
    public void Leaves_normal_text_untouched_when_a_key_is_configured()
    {
        const string text = "Rate limit reached. Please try again in 20s.";

        Assert.That(SecretRedactor.Redact(text, PlainKey), Is.EqualTo(text));
    }

    [TestCase(null)]
    [TestCase("")]
    public void Passes_null_and_empty_through(string? text)
    {
        Assert.That(SecretRedactor.Redact(text, PlainKey), Is.EqualTo(text));
    }

    [Test]
    public void Ignores_a_configured_key_too_short_to_be_one()
    {
        Assert.That(SecretRedactor.Redact("abc appears here", "abc"), Is.EqualTo("abc appears here"));
    }

    [Test]
    public void Handles_a_large_body_quickly_and_completely()
    {
        var body = new string('x', 200_000) + " " + OpenAIKey + " " + new string('y', 200_000);

        var redacted = SecretRedactor.Redact(body, OpenAIKey);

        Assert.That(redacted, Does.Not.Contain(OpenAIKey[..12]));
        Assert.That(redacted.Length, Is.EqualTo(400_002 + SecretRedactor.Mask.Length));
    }
}
