using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using LlmProviders.Http;

namespace LlmProviders.Tests.Http;

[TestFixture]
public sealed class LlmErrorFactoryTests
{
    private const string Key = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9o";

    [TestCase(400, LlmErrorKind.InvalidRequest)]
    [TestCase(422, LlmErrorKind.InvalidRequest)]
    [TestCase(401, LlmErrorKind.Authentication)]
    [TestCase(402, LlmErrorKind.QuotaExhausted)]
    [TestCase(403, LlmErrorKind.PermissionDenied)]
    [TestCase(404, LlmErrorKind.ModelNotFound)]
    [TestCase(408, LlmErrorKind.Timeout)]
    [TestCase(409, LlmErrorKind.ProviderUnavailable)]
    [TestCase(413, LlmErrorKind.ContextLengthExceeded)]
    [TestCase(429, LlmErrorKind.RateLimited)]
    [TestCase(500, LlmErrorKind.ProviderUnavailable)]
    [TestCase(502, LlmErrorKind.ProviderUnavailable)]
    [TestCase(503, LlmErrorKind.ProviderUnavailable)]
    [TestCase(504, LlmErrorKind.Timeout)]
    [TestCase(529, LlmErrorKind.Overloaded)]
    [TestCase(599, LlmErrorKind.ProviderUnavailable)]
    [TestCase(405, LlmErrorKind.Unknown)]
    [TestCase(418, LlmErrorKind.Unknown)]
    public void Maps_status_to_kind(int status, LlmErrorKind expected)
    {
        Assert.That(LlmErrorFactory.KindFromStatus((HttpStatusCode)status), Is.EqualTo(expected));
    }

    [TestCase(400, typeof(InvalidChatRequestException), false)]
    [TestCase(422, typeof(InvalidChatRequestException), false)]
    [TestCase(401, typeof(ProviderAuthenticationException), false)]
    [TestCase(402, typeof(QuotaExhaustedException), false)]
    [TestCase(403, typeof(ProviderPermissionException), false)]
    [TestCase(404, typeof(ModelNotFoundException), false)]
    [TestCase(408, typeof(ProviderTimeoutException), true)]
    [TestCase(409, typeof(ProviderUnavailableException), true)]
    [TestCase(413, typeof(ContextLengthExceededException), false)]
    [TestCase(429, typeof(RateLimitedException), true)]
    [TestCase(500, typeof(ProviderUnavailableException), true)]
    [TestCase(503, typeof(ProviderUnavailableException), true)]
    [TestCase(504, typeof(ProviderTimeoutException), true)]
    [TestCase(529, typeof(ProviderOverloadedException), true)]
    [TestCase(418, typeof(LlmProviderException), false)]
    public void Builds_the_exception_type_of_the_status_with_its_default_transience(int status, Type expectedType, bool transient)
    {
        var ex = LlmErrorFactory.FromResponse(Context((HttpStatusCode)status), null);

        Assert.Multiple(() =>
        {
            Assert.That(ex.GetType(), Is.EqualTo(expectedType));
            Assert.That(ex.IsTransient, Is.EqualTo(transient));
            Assert.That(ex.StatusCode, Is.EqualTo((HttpStatusCode)status));
        });
    }

    [Test]
    public void Carries_everything_the_response_said()
    {
        var context = Context(HttpStatusCode.TooManyRequests) with
        {
            RequestId = "req_123",
            RetryAfter = TimeSpan.FromSeconds(20),
            Body = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
        };
        var error = new ProviderError { Message = "Rate limit reached", Code = "rate_limit_exceeded", Type = "requests" };

        var ex = LlmErrorFactory.FromResponse(context, error);

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf<RateLimitedException>());
            Assert.That(ex.Kind, Is.EqualTo(LlmErrorKind.RateLimited));
            Assert.That(ex.ProviderName, Is.EqualTo("openai-main"));
            Assert.That(ex.Model, Is.EqualTo("gpt-4o"));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(ex.ErrorCode, Is.EqualTo("rate_limit_exceeded"));
            Assert.That(ex.ErrorType, Is.EqualTo("requests"));
            Assert.That(ex.RequestId, Is.EqualTo("req_123"));
            Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.ResponseBody, Is.EqualTo(context.Body));
        });
    }

    [Test]
    public void Says_what_happened_and_what_to_do()
    {
        var context = Context(HttpStatusCode.TooManyRequests) with { RetryAfter = TimeSpan.FromSeconds(20) };

        var ex = LlmErrorFactory.FromResponse(context, new ProviderError { Message = "Rate limit reached for gpt-4o. Please try again in 20s." });

        Assert.That(ex.Message, Is.EqualTo("openai-main returned HTTP 429 (rate limited): Rate limit reached for gpt-4o. Please try again in 20s. Retry after 20 s, or fail over to another target."));
    }

    [TestCase(401, "API key")]
    [TestCase(403, "not allowed")]
    [TestCase(404, "model name")]
    [TestCase(400, "Fix the request")]
    [TestCase(413, "Shorten the prompt")]
    [TestCase(402, "topped up")]
    [TestCase(429, "fail over")]
    [TestCase(529, "Retry shortly")]
    [TestCase(503, "Retry shortly")]
    [TestCase(504, "allow more time")]
    public void Advises_per_kind(int status, string advice)
    {
        var ex = LlmErrorFactory.FromResponse(Context((HttpStatusCode)status), new ProviderError { Message = "boom" });

        Assert.That(ex.Message, Does.StartWith($"openai-main returned HTTP {status} (").And.Contain("): boom. ").And.Contain(advice));
    }

    [Test]
    public void Lets_the_bodys_kind_override_the_status()
    {
        var error = new ProviderError { Kind = LlmErrorKind.ContextLengthExceeded, Code = "context_length_exceeded", Message = "This model's maximum context length is 128000 tokens." };

        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.BadRequest), error);

        Assert.That(ex, Is.TypeOf<ContextLengthExceededException>());
        Assert.That(ex.ErrorCode, Is.EqualTo("context_length_exceeded"));
    }

    [Test]
    public void A_429_whose_body_says_insufficient_quota_is_quota_exhausted_and_never_transient()
    {
        var context = Context(HttpStatusCode.TooManyRequests) with { ShouldRetry = true };
        var error = new ProviderError { Kind = LlmErrorKind.QuotaExhausted, Code = "insufficient_quota", IsTransient = true, Message = "You exceeded your current quota." };

        var ex = LlmErrorFactory.FromResponse(context, error);

        Assert.That(ex, Is.TypeOf<QuotaExhaustedException>());
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(ex.Message, Does.Contain("topped up"));
    }

    [Test]
    public void X_should_retry_false_makes_a_server_error_permanent()
    {
        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.InternalServerError) with { ShouldRetry = false }, null);

        Assert.That(ex, Is.TypeOf<ProviderUnavailableException>());
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(ex.Message, Does.Contain("retrying will not help"));
    }

    [Test]
    public void X_should_retry_true_makes_a_conflict_or_bad_request_transient()
    {
        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.BadRequest) with { ShouldRetry = true }, null);

        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public void X_should_retry_wins_over_the_bodys_transience()
    {
        var error = new ProviderError { IsTransient = false };

        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.ServiceUnavailable) with { ShouldRetry = true }, error);

        Assert.That(ex.IsTransient, Is.True);
    }

    [Test]
    public void The_bodys_transience_wins_over_the_kinds_default()
    {
        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.ServiceUnavailable), new ProviderError { IsTransient = false });

        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public void The_header_wait_wins_over_the_bodys()
    {
        var error = new ProviderError { RetryAfter = TimeSpan.FromSeconds(34.4) };

        var withHeader = LlmErrorFactory.FromResponse(Context(HttpStatusCode.TooManyRequests) with { RetryAfter = TimeSpan.FromSeconds(2) }, error);
        var withoutHeader = LlmErrorFactory.FromResponse(Context(HttpStatusCode.TooManyRequests), error);

        Assert.That(withHeader.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(withoutHeader.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(34.4)));
    }

    [Test]
    public void Carries_content_filter_categories()
    {
        var error = new ProviderError { Kind = LlmErrorKind.ContentFiltered, Categories = ["hate", "violence"], Code = "content_filter" };

        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.BadRequest), error);

        Assert.That(ex, Is.TypeOf<ContentFilteredException>());
        Assert.That(((ContentFilteredException)ex).Categories, Is.EqualTo(new[] { "hate", "violence" }));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public void Truncates_a_long_body()
    {
        var body = "{\"error\":\"" + new string('x', 10_000) + "\"}";

        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.InternalServerError) with { Body = body }, null);

        Assert.That(ex.ResponseBody!.Length, Is.LessThanOrEqualTo(4097));
        Assert.That(ex.ResponseBody, Does.StartWith("{\"error\":\"xxx").And.EndWith("\u2026"));
        Assert.That(ex.Message.Length, Is.LessThan(500), "the message quotes at most a short part of the body");
    }

    [Test]
    public void Never_cuts_a_surrogate_pair_in_half()
    {
        var body = new string('a', 4095) + "\U0001F44B\U0001F44B";

        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.InternalServerError) with { Body = body }, null);

        Assert.That(char.IsHighSurrogate(ex.ResponseBody![^2]), Is.False);
    }

    [Test]
    public void Shortens_a_very_long_provider_message_to_one_line()
    {
        var error = new ProviderError { Message = "line one\n\nline   two " + new string('z', 5000) };

        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.BadRequest), error);

        Assert.That(ex.Message, Does.Contain("line one line two zzz").And.Not.Contain("\n"));
        Assert.That(ex.Message.Length, Is.LessThan(1200));
    }

    [Test]
    public void Redacts_the_key_from_message_body_and_to_string()
    {
        var body = $"{{\"error\":{{\"message\":\"Incorrect API key provided: {Key}. You can find your API key at https://platform.openai.com/account/api-keys.\",\"code\":\"invalid_api_key\"}}}}";
        var context = Context(HttpStatusCode.Unauthorized) with { Body = body, Secret = Key };
        var error = new ProviderError { Message = $"Incorrect API key provided: {Key}.", Code = "invalid_api_key" };

        var ex = LlmErrorFactory.FromResponse(context, error);
        var unparsed = LlmErrorFactory.FromResponse(context, null);

        foreach (var text in new[] { ex.Message, ex.ResponseBody!, ex.ToString(), unparsed.Message, unparsed.ResponseBody!, unparsed.ToString() })
        {
            Assert.That(text, Does.Not.Contain(Key[..10]).And.Not.Contain(Key[^8..]));
        }

        Assert.That(ex, Is.TypeOf<ProviderAuthenticationException>());
        Assert.That(ex.ResponseBody, Does.Contain("invalid_api_key"));
        Assert.That(ex.Message, Does.Contain("Check the API key"));
    }

    [Test]
    public void Redacts_openais_partly_masked_echo_of_the_configured_key()
    {
        var masked = Key[..6] + "*****" + Key[^4..];
        var body = $"{{\"error\":{{\"message\":\"Incorrect API key provided: {masked}.\"}}}}";

        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.Unauthorized) with { Body = body, Secret = Key }, null);

        Assert.That(ex.ResponseBody, Does.Not.Contain(masked).And.Not.Contain(Key[^4..]).And.Not.Contain("*****"));
        Assert.That(ex.Message, Does.Not.Contain(Key[^4..]));
    }

    [Test]
    public void Describes_an_html_body_in_words()
    {
        const string html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.BadGateway) with { Body = html }, null);

        Assert.That(ex.Message, Is.EqualTo("openai-main returned HTTP 502 (provider unavailable): an HTML page instead of an error object (a proxy or gateway answered: \"502 Bad Gateway\"). Retry shortly, or fail over to another target."));
        Assert.That(ex.ResponseBody, Is.EqualTo(html));
    }

    [Test]
    public void Describes_an_html_body_without_a_title()
    {
        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.ServiceUnavailable) with { Body = "  <html><body>down</body></html>" }, null);

        Assert.That(ex.Message, Does.Contain("an HTML page instead of an error object (a proxy or gateway answered)").And.Not.Contain("<html>"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  \n ")]
    public void Describes_an_empty_body(string? body)
    {
        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.ServiceUnavailable) with { Body = body }, null);

        Assert.That(ex.Message, Does.StartWith("openai-main returned HTTP 503 (provider unavailable): (empty body)."));
    }

    [Test]
    public void Quotes_a_plain_text_body_when_the_parser_found_nothing()
    {
        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.ServiceUnavailable) with { Body = "upstream connect error or disconnect/reset before headers" }, null);

        Assert.That(ex.Message, Does.Contain("): upstream connect error or disconnect/reset before headers."));
    }

    [Test]
    public void Falls_back_to_the_body_when_the_provider_message_is_blank()
    {
        var ex = LlmErrorFactory.FromResponse(Context(HttpStatusCode.BadRequest) with { Body = "{\"detail\":\"bad\"}" }, new ProviderError { Message = "  " });

        Assert.That(ex.Message, Does.Contain("): {\"detail\":\"bad\"}."));
    }

    [Test]
    public void Says_an_error_without_a_status()
    {
        var context = new ProviderErrorContext { ProviderName = "ollama" };

        var ex = LlmErrorFactory.FromResponse(context, new ProviderError { Message = "model 'x' not found", Kind = LlmErrorKind.ModelNotFound });

        Assert.That(ex, Is.TypeOf<ModelNotFoundException>());
        Assert.That(ex.Message, Does.StartWith("ollama returned an error (model not found): model 'x' not found."));
        Assert.That(ex.StatusCode, Is.Null);
    }

    [TestCaseSource(nameof(AllKinds))]
    public void Create_builds_the_subtype_of_each_kind_with_its_default_transience(LlmErrorKind kind)
    {
        var inner = new InvalidOperationException("inner");

        var ex = LlmErrorFactory.Create(kind, "what happened", Context(null), inner);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(kind));
            Assert.That(ex.IsTransient, Is.EqualTo(LlmProviderException.DefaultIsTransient(ex.Kind)));
            Assert.That(ex.InnerException, Is.SameAs(inner));
            Assert.That(ex.Message, Is.EqualTo("what happened"));
            Assert.That(ex.ProviderName, Is.EqualTo("openai-main"));
            Assert.That(ex.Model, Is.EqualTo("gpt-4o"));
        });
    }

    [Test]
    public void Create_redacts_the_message_and_honours_x_should_retry()
    {
        var ex = LlmErrorFactory.Create(LlmErrorKind.ProviderUnavailable, $"failed with key {Key}", Context(null) with { Secret = Key, ShouldRetry = false });

        Assert.That(ex.Message, Is.EqualTo($"failed with key {SecretRedactor.Mask}"));
        Assert.That(ex.IsTransient, Is.False);
    }

    [Test]
    public void Create_never_makes_an_exhausted_quota_transient()
    {
        var ex = LlmErrorFactory.Create(LlmErrorKind.QuotaExhausted, "no credit", Context(null) with { ShouldRetry = true });

        Assert.That(ex.IsTransient, Is.False);
    }

    // Cancelled marks a caller's cancellation in cost records; no exception has it.
    internal static IEnumerable<LlmErrorKind> AllKinds() => Enum.GetValues<LlmErrorKind>().Where(k => k != LlmErrorKind.Cancelled);

    private static ProviderErrorContext Context(HttpStatusCode? status) => new()
    {
        ProviderName = "openai-main",
        Model = "gpt-4o",
        StatusCode = status,
    };
}
