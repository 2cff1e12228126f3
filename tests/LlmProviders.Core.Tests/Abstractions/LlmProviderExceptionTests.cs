using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using LlmProviders.Http;

namespace LlmProviders.Tests.Abstractions;

[TestFixture]
public sealed class LlmProviderExceptionTests
{
    private const string Key = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9o";

    [TestCaseSource(nameof(EveryExceptionType))]
    public void Each_type_reports_its_kind_and_default_transience(LlmProviderException ex, LlmErrorKind kind, bool transient)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ex.Kind, Is.EqualTo(kind));
            Assert.That(ex.IsTransient, Is.EqualTo(transient));
            Assert.That(LlmProviderException.DefaultIsTransient(kind), Is.EqualTo(transient));
            Assert.That(ex.Message, Is.Not.Empty);
        });
    }

    [Test]
    public void IsTransient_can_be_overridden_either_way()
    {
        Assert.That(new ProviderUnavailableException { IsTransient = false }.IsTransient, Is.False);
        Assert.That(new InvalidChatRequestException { IsTransient = true }.IsTransient, Is.True);
    }

    [Test]
    public void ToString_names_provider_model_status_request_and_message()
    {
        var ex = new RateLimitedException("openai-main returned HTTP 429 (rate limited): slow down.")
        {
            ProviderName = "openai-main",
            Model = "gpt-4o",
            StatusCode = HttpStatusCode.TooManyRequests,
            RequestId = "req_1",
        };

        Assert.That(ex.ToString(), Is.EqualTo("LlmProviders.RateLimitedException: [openai-main/gpt-4o] (HTTP 429) (request req_1) openai-main returned HTTP 429 (rate limited): slow down."));
    }

    [Test]
    public void ToString_keeps_the_stack_trace_and_the_inner_exception()
    {
        LlmProviderException caught;
        try
        {
            ThrowWrapped();
            throw new AssertionException("unreachable");
        }
        catch (LlmProviderException ex)
        {
            caught = ex;
        }

        var text = caught.ToString();

        Assert.That(text, Does.Contain("---> System.Net.Http.HttpRequestException: Connection refused"));
        Assert.That(text, Does.Contain("--- End of inner exception stack trace ---"));
        Assert.That(text, Does.Contain(nameof(ThrowWrapped)), "the stack trace says where it was thrown");
    }

    [Test]
    public void ToString_never_includes_a_key_from_a_response_body()
    {
        var context = new ProviderErrorContext
        {
            ProviderName = "openai-main",
            Model = "gpt-4o",
            StatusCode = HttpStatusCode.Unauthorized,
            Secret = Key,
            Body = $"{{\"error\":{{\"message\":\"Incorrect API key provided: {Key}.\",\"code\":\"invalid_api_key\"}}}}",
        };

        var ex = LlmErrorFactory.FromResponse(context, new ProviderError { Message = $"Incorrect API key provided: {Key}.", Code = "invalid_api_key" });

        Assert.That(ex.ResponseBody, Does.Contain("invalid_api_key"));
        foreach (var text in new[] { ex.ToString(), ex.Message, ex.ResponseBody! })
        {
            Assert.That(text, Does.Not.Contain(Key[..12]).And.Not.Contain(Key[^6..]));
        }
    }

    [Test]
    public void ToString_redacts_a_key_that_an_inner_exception_carries()
    {
        var inner = new HttpRequestException($"GET https://generativelanguage.googleapis.com/v1beta/models?key=AIzaSyA-1234567890abcdefghijklmnopqrstu failed");
        var ex = LlmErrorFactory.Create(LlmErrorKind.ProviderUnavailable, "gemini could not be reached.", new ProviderErrorContext { ProviderName = "gemini" }, inner);

        Assert.That(ex.ToString(), Does.Not.Contain("AIzaSyA-1234567890").And.Contain("could not be reached"));
    }

    [Test]
    public void ToString_without_provider_says_so()
    {
        Assert.That(new LlmProviderException("boom").ToString(), Is.EqualTo("LlmProviders.LlmProviderException: [?/?] boom"));
    }

    internal static IEnumerable<TestCaseData> EveryExceptionType()
    {
        (LlmProviderException, LlmErrorKind, bool)[] all =
        [
            (new LlmProviderException(), LlmErrorKind.Unknown, false),
            (new ProviderAuthenticationException(), LlmErrorKind.Authentication, false),
            (new ProviderPermissionException(), LlmErrorKind.PermissionDenied, false),
            (new ModelNotFoundException(), LlmErrorKind.ModelNotFound, false),
            (new InvalidChatRequestException(), LlmErrorKind.InvalidRequest, false),
            (new ContextLengthExceededException(), LlmErrorKind.ContextLengthExceeded, false),
            (new ContentFilteredException(), LlmErrorKind.ContentFiltered, false),
            (new RateLimitedException(), LlmErrorKind.RateLimited, true),
            (new QuotaExhaustedException(), LlmErrorKind.QuotaExhausted, false),
            (new ProviderOverloadedException(), LlmErrorKind.Overloaded, true),
            (new ProviderTimeoutException(), LlmErrorKind.Timeout, true),
            (new ProviderUnavailableException(), LlmErrorKind.ProviderUnavailable, true),
            (new StreamInterruptedException(), LlmErrorKind.StreamInterrupted, true),
            (new MalformedResponseException(), LlmErrorKind.MalformedResponse, false),
            (new BudgetExceededException(), LlmErrorKind.BudgetExceeded, false),
            (new NoProviderAvailableException(), LlmErrorKind.NoProviderAvailable, false),
            (new AllProvidersFailedException(), LlmErrorKind.AllProvidersFailed, false),
        ];
        foreach (var (ex, kind, transient) in all)
        {
            yield return new TestCaseData(ex, kind, transient).SetArgDisplayNames(ex.GetType().Name);
        }
    }

    private static void ThrowWrapped()
    {
        try
        {
            throw new HttpRequestException("Connection refused");
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderUnavailableException("openai-main could not be reached.", ex) { ProviderName = "openai-main" };
        }
    }
}
