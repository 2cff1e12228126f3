using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using LlmProviders.Costs;
using LlmProviders.Testing.Costs;
using LlmProviders.Testing.Http;
using NUnit.Framework;

namespace LlmProviders.Testing;

/// <summary>
/// The shared set-up of a provider's unit tests: a manual clock, a scripted server reset for every test, and the helpers
/// that send a canned response through the provider and collect what the caller sees, each bounded so a hang fails
/// instead of blocking the run. A provider's test base derives from it and adds only how its provider is created.
/// </summary>
/// <typeparam name="TProvider">The provider type under test.</typeparam>
public abstract class ProviderTestBase<TProvider>
    where TProvider : class, ILlmProvider
{
    /// <summary>How long any helper waits before it declares the provider hung.</summary>
    protected static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets a calculator over a catalog that prices nothing: the providers under test get it so that their results never depend on
    /// the built-in catalog's prices (every cloud cost is unknown unless a test prices it with its own <see cref="TestModelCatalog"/>).
    /// </summary>
    protected static CostCalculator Unpriced { get; } = new(new TestModelCatalog());

    /// <summary>Gets the manual clock of the current test.</summary>
    protected ManualTimeProvider Time { get; private set; } = null!;

    /// <summary>Gets the scripted server of the current test.</summary>
    protected ScriptedHttpHandler Handler { get; private set; } = null!;

    /// <summary>Creates a fresh clock and server.</summary>
    [SetUp]
    public void SetUpServer()
    {
        Time = new ManualTimeProvider();
        Handler = new ScriptedHttpHandler(Time);
    }

    /// <summary>Releases a paused body and disposes the server.</summary>
    [TearDown]
    public void TearDownServer()
    {
        Handler.Release();
        Handler.Dispose();
    }

    /// <summary>
    /// Awaits a call that waits on the manual clock (retry backoff, Retry-After): advances <see cref="Time"/> a second at a time
    /// until the call completes (at most 10 simulated minutes).
    /// </summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="call">The call, already started.</param>
    /// <returns>The call's result.</returns>
    protected async Task<T> RunOnClockAsync<T>(Task<T> call)
    {
        for (int i = 0; i < 600 && !call.IsCompleted; i++)
        {
            for (int spin = 0; spin < 100 && !call.IsCompleted && Time.PendingTimers == 0; spin++)
            {
                await Task.Yield();
            }

            Time.Advance(TimeSpan.FromSeconds(1));
        }

        return await call;
    }

    /// <summary>Creates the provider with the test defaults (key, endpoint), on <see cref="Handler"/> and <see cref="Time"/>.</summary>
    /// <returns>The provider.</returns>
    protected abstract TProvider CreateDefaultProvider();

    /// <summary>Creates the request sent when a helper is given none.</summary>
    /// <returns>A one-message request.</returns>
    protected abstract ChatRequest CreateDefaultRequest();

    /// <summary>Serves <paramref name="response"/> to one chat call.</summary>
    /// <param name="response">The canned response.</param>
    /// <param name="request">The request, or the default one.</param>
    /// <param name="provider">The provider, or the default one.</param>
    /// <returns>The result.</returns>
    protected async Task<ChatResult> ChatAsync(CannedResponse response, ChatRequest? request = null, TProvider? provider = null)
    {
        Handler.Response = response;
        return await (provider ?? CreateDefaultProvider()).ChatAsync(request ?? CreateDefaultRequest()).WaitAsync(HangTimeout);
    }

    /// <summary>Serves <paramref name="response"/> to one streamed call and collects every update.</summary>
    /// <param name="response">The canned response.</param>
    /// <param name="request">The request, or the default one.</param>
    /// <param name="provider">The provider, or the default one.</param>
    /// <param name="bodyOptions">How the body is served (splits, pauses, resets), or the server's default.</param>
    /// <returns>The updates, the final one last.</returns>
    protected async Task<List<ChatStreamUpdate>> StreamAsync(CannedResponse response, ChatRequest? request = null, TProvider? provider = null, ScriptedBodyOptions? bodyOptions = null)
    {
        Handler.Response = response;
        if (bodyOptions is not null)
        {
            Handler.BodyOptions = bodyOptions;
        }

        var updates = new List<ChatStreamUpdate>();
        await Collect((provider ?? CreateDefaultProvider()).StreamAsync(request ?? CreateDefaultRequest()), updates).WaitAsync(HangTimeout);
        return updates;
    }

    /// <summary>Collects a stream into <paramref name="updates"/> (kept when the stream throws, to assert on what arrived first).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="updates">Receives the updates.</param>
    /// <returns>A task that completes with the stream.</returns>
    protected static async Task Collect(IAsyncEnumerable<ChatStreamUpdate> stream, List<ChatStreamUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(updates);
        await foreach (var update in stream)
        {
            updates.Add(update);
        }
    }

    /// <summary>Runs <paramref name="action"/> and returns the exception it must throw; fails the test otherwise.</summary>
    /// <typeparam name="TException">The expected exception type (or a base of it).</typeparam>
    /// <param name="action">The call.</param>
    /// <returns>The exception.</returns>
    protected static async Task<TException> CatchAsync<TException>(Func<Task> action)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action().WaitAsync(HangTimeout);
        }
        catch (TException ex)
        {
            return ex;
        }
        catch (Exception ex)
        {
            Assert.Fail($"Expected {typeof(TException).Name} but got {ex}");
        }

        Assert.Fail($"Expected {typeof(TException).Name} but the call succeeded.");
        return null!;
    }

    /// <summary>Serves <paramref name="response"/> to one chat call that must throw <typeparamref name="TException"/>.</summary>
    /// <typeparam name="TException">The expected exception type.</typeparam>
    /// <param name="response">The canned response.</param>
    /// <param name="request">The request, or the default one.</param>
    /// <param name="provider">The provider, or the default one.</param>
    /// <returns>The exception.</returns>
    protected Task<TException> CatchChatAsync<TException>(CannedResponse response, ChatRequest? request = null, TProvider? provider = null)
        where TException : Exception
    {
        Handler.Response = response;
        var p = provider ?? CreateDefaultProvider();
        return CatchAsync<TException>(() => p.ChatAsync(request ?? CreateDefaultRequest()));
    }

    /// <summary>Serves <paramref name="response"/> to one streamed call that must throw <typeparamref name="TException"/>.</summary>
    /// <typeparam name="TException">The expected exception type.</typeparam>
    /// <param name="response">The canned response.</param>
    /// <param name="updates">Receives the updates that arrived before the failure, or <see langword="null"/>.</param>
    /// <param name="request">The request, or the default one.</param>
    /// <param name="provider">The provider, or the default one.</param>
    /// <returns>The exception.</returns>
    protected Task<TException> CatchStreamAsync<TException>(CannedResponse response, List<ChatStreamUpdate>? updates = null, ChatRequest? request = null, TProvider? provider = null)
        where TException : Exception
    {
        Handler.Response = response;
        var p = provider ?? CreateDefaultProvider();
        return CatchAsync<TException>(() => Collect(p.StreamAsync(request ?? CreateDefaultRequest()), updates ?? []));
    }

    /// <summary>Joins the text deltas of a stream.</summary>
    /// <param name="updates">The updates.</param>
    /// <returns>The text the caller saw.</returns>
    protected static string ConcatText(IEnumerable<ChatStreamUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var text = new StringBuilder();
        foreach (var u in updates)
        {
            text.Append(u.Text);
        }

        return text.ToString();
    }

    /// <summary>Joins the reasoning deltas of a stream.</summary>
    /// <param name="updates">The updates.</param>
    /// <returns>The reasoning the caller saw.</returns>
    protected static string ConcatReasoning(IEnumerable<ChatStreamUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var text = new StringBuilder();
        foreach (var u in updates)
        {
            text.Append(u.ReasoningText);
        }

        return text.ToString();
    }
}
