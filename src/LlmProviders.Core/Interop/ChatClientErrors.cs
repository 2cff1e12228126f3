using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using LlmProviders.Http;

namespace LlmProviders.Interop;

/// <summary>Turns what an <c>IChatClient</c> throws into the typed errors the router fails over on (SPEC M6, RT5).</summary>
internal static class ChatClientErrors
{
    /// <summary>Returns <see langword="null"/> when <paramref name="error"/> must propagate as it is: the caller's own cancellation.</summary>
    public static LlmProviderException? Map(Exception error, string providerName, string? model, Func<Exception, LlmErrorKind?>? classify, CancellationToken callerToken)
    {
        if (error is OperationCanceledException && callerToken.IsCancellationRequested)
        {
            return null;
        }

        if (error is LlmProviderException typed)
        {
            return typed;
        }

        var context = new ProviderErrorContext { ProviderName = providerName, Model = model, StatusCode = FindStatus(error) };
        string what = $"{error.GetType().Name}: {error.Message}";
        if (classify?.Invoke(error) is { } custom)
        {
            return LlmErrorFactory.Create(custom, $"Chat client provider '{providerName}' failed ({what}).", context, error);
        }

        if (context.StatusCode is { } status)
        {
            var kind = LlmErrorFactory.KindFromStatus(status);
            return LlmErrorFactory.Create(kind, $"Chat client provider '{providerName}' failed with HTTP {(int)status} ({what}).", context, error);
        }

        return error switch
        {
            OperationCanceledException or TimeoutException => LlmErrorFactory.Create(
                LlmErrorKind.Timeout, $"Chat client provider '{providerName}' timed out ({what}). Retry, allow the client more time, or fail over.", context, error),
            HttpRequestException => LlmErrorFactory.Create(
                LlmErrorKind.ProviderUnavailable, $"Chat client provider '{providerName}' could not be reached ({what}). Retry shortly, or fail over.", context, error),
            JsonException or FormatException => LlmErrorFactory.Create(
                LlmErrorKind.MalformedResponse, $"Chat client provider '{providerName}' could not read the response ({what}).", context, error),
            ArgumentException => LlmErrorFactory.Create(
                LlmErrorKind.InvalidRequest, $"Chat client provider '{providerName}' rejected the request ({what}). Fix the request.", context, error),
            _ => LlmErrorFactory.Create(
                LlmErrorKind.Unknown, $"Chat client provider '{providerName}' failed ({what}).", context, error),
        };
    }

    // An HttpRequestException anywhere in the chain carries the status, when the server answered.
    private static System.Net.HttpStatusCode? FindStatus(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { StatusCode: { } status })
            {
                return status;
            }
        }

        return null;
    }
}
