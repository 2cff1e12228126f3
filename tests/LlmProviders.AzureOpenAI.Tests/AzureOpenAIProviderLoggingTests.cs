using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.Logging;

namespace LlmProviders.AzureOpenAI.Tests;

/// <summary>Logs name the provider, deployment and failure, never the key or the bearer token.</summary>
public sealed class AzureOpenAIProviderLoggingTests : AzureOpenAIProviderTestBase
{
    private const string Token = "eyJhbGciOi.entra-secret-body.sig-Qm9";

    [Test]
    public async Task Failed_calls_are_logged_without_the_key()
    {
        var logger = new CapturingLogger();
        var provider = new AzureOpenAIProvider(
            new AzureOpenAIProviderOptions { ApiKey = Key, BaseUrl = new Uri(AzureWire.Endpoint) }, new HttpClient(Handler), "azure-openai", Time, logger, new AzureOpenAIEnvironment(_ => null));

        await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json(AzureWire.Error("401", $"Access denied for key {Key}."), HttpStatusCode.Unauthorized), provider: provider);

        Assert.That(logger.Lines, Is.Not.Empty);
        Assert.That(logger.Lines.Any(l => l.Contains("azure-openai", StringComparison.Ordinal)), Is.True);
        Assert.That(logger.Lines, Has.None.Contains(Key[4..20]));
    }

    [Test]
    public async Task Calls_with_a_bearer_token_are_logged_without_the_token()
    {
        var logger = new CapturingLogger();
        var provider = new AzureOpenAIProvider(
            new AzureOpenAIProviderOptions { TokenProvider = _ => ValueTask.FromResult(Token), BaseUrl = new Uri(AzureWire.Endpoint) }, new HttpClient(Handler), "azure-openai", Time, logger, new AzureOpenAIEnvironment(_ => null));

        Handler.Response = CannedResponse.Json(AzureWire.Completion("Hi"));
        await provider.ChatAsync(Ask());
        await CatchChatAsync<ProviderAuthenticationException>(CannedResponse.Json(AzureWire.Error("401", $"Token {Token} expired."), HttpStatusCode.Unauthorized), provider: provider);

        Assert.That(logger.Lines, Is.Not.Empty);
        Assert.That(logger.Lines, Has.None.Contains("entra-secret-body"));
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToArray();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
            }
        }
    }
}
