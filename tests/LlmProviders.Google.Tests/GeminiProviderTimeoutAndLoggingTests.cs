using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Google.Tests;

/// <summary>The request timeout on the provider's clock (no sleeps), and logs that never carry the key.</summary>
public sealed class GeminiProviderTimeoutAndLoggingTests : GeminiProviderTestBase
{
    [Test]
    public async Task Request_timeout_mid_stream_interrupts_the_stream_with_the_text_so_far()
    {
        var provider = CreateProvider(o => o.RequestTimeout = TimeSpan.FromSeconds(60));
        var body = CannedResponse.EventStream(GeminiWire.Sse([GeminiWire.TextChunk("Hello"), GeminiWire.TextChunk(" there"), GeminiWire.FinishChunk()]));
        Handler.Response = body;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = body.BodyText.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4 };

        var updates = new List<ChatStreamUpdate>();
        var call = Collect(provider.StreamAsync(Ask()), updates);
        await Handler.WaitForBodyPauseAsync();
        Time.Advance(TimeSpan.FromSeconds(61));

        var ex = await CatchAsync<StreamInterruptedException>(() => call);
        Assert.That(ex.PartialText, Is.EqualTo("Hello"));
        Assert.That(ex.Message, Does.Contain("timeout"));
    }

    [Test]
    public async Task Request_timeout_while_reading_a_whole_answer_is_a_transient_timeout()
    {
        var provider = CreateProvider(o => o.RequestTimeout = TimeSpan.FromSeconds(30));
        var body = CannedResponse.Json(GeminiWire.Completion("Hello there, this is a long answer."));
        Handler.Response = body;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = body.Body.Length / 2 };

        var call = provider.ChatAsync(Ask());
        await Handler.WaitForBodyPauseAsync();
        Time.Advance(TimeSpan.FromSeconds(31));

        var ex = await CatchAsync<ProviderTimeoutException>(() => call);
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.ProviderName, Is.EqualTo("gemini"));
    }

    [Test]
    public async Task Failed_and_completed_calls_are_logged_without_the_key()
    {
        var logger = new CapturingLogger();
        var provider = new GeminiProvider(new GeminiProviderOptions { ApiKey = Key }, new System.Net.Http.HttpClient(Handler), "gemini", Time, logger, new GeminiEnvironment(_ => null));
        Handler.Response = CannedResponse.Json(GeminiWire.Error(400, "INVALID_ARGUMENT", $"API key not valid: {Key}. Please pass a valid API key.", GeminiWire.ApiKeyInvalidDetails), HttpStatusCode.BadRequest);
        var ex = await CatchAsync<ProviderAuthenticationException>(() => provider.ChatAsync(Ask()));
        await ChatAsync(CannedResponse.Json(GeminiWire.Completion("ok")), provider: provider);

        Assert.That(ex.ToString(), Does.Not.Contain(Key));
        Assert.That(ex.ResponseBody, Does.Not.Contain(Key));
        Assert.That(logger.Lines, Has.Some.Contains("Authentication"));
        Assert.That(logger.Lines, Has.Some.Contains("answered"));
        Assert.That(logger.Lines.Where(l => l.Contains(Key[..10], StringComparison.Ordinal) || l.Contains(Key[^6..], StringComparison.Ordinal)), Is.Empty);
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
