using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;

namespace LlmProviders.Benchmarks.Infrastructure;

/// <summary>
/// The harness every benchmark class shares, whatever the provider: one <see cref="CannedResponseHandler"/> serving
/// all the contenders, each contender on its own <see cref="HttpClient"/> over it, the check in <c>[GlobalSetup]</c>
/// that each contender sent the right request and read exactly the canned text and usage, and the cleanup.
/// </summary>
/// <remarks>
/// A benchmark class derives from <see cref="ChatBenchmarkBase"/> or <see cref="StreamingBenchmarkBase"/>, says which
/// payload is served (<see cref="ServeCanned"/>), builds its contenders (<see cref="NewHttpClient"/>, <see cref="Own{T}"/>),
/// runs <see cref="Verify"/> on each of them, and calls <see cref="DisposeContenders"/> from its <c>[GlobalCleanup]</c>.
/// </remarks>
public abstract class ContenderBenchmarkBase
{
    private readonly List<object> _owned = [];
    private CannedResponseHandler? _handler;

    /// <summary>Gets the usage every contender must report.</summary>
    private protected abstract TokenCounts ExpectedUsage { get; }

    /// <summary>Gets the text the last call read.</summary>
    private protected abstract string LastText { get; }

    /// <summary>Gets the one handler all the contenders of this class reach.</summary>
    private protected CannedResponseHandler Handler => _handler ?? throw new InvalidOperationException("ServeCanned was not called.");

    /// <summary>Gets or sets the usage the last call read; stored (not allocated) so <see cref="Verify"/> can check it.</summary>
    private protected TokenCounts LastUsage { get; set; }

    /// <summary>Throws unless <paramref name="request"/> is the request this class's provider must receive.</summary>
    private protected abstract void CheckRequest(string contender, CapturedRequest? request);

    /// <summary>Creates the handler that answers every request of this class with <paramref name="body"/>.</summary>
    private protected void ServeCanned(byte[] body, string mediaType, string? charSet = null)
        => _handler = new CannedResponseHandler(body, mediaType, charSet);

    /// <summary>A new <see cref="HttpClient"/> over the shared handler, disposed by <see cref="DisposeContenders"/>.</summary>
    private protected HttpClient NewHttpClient()
        => Own(new HttpClient(Handler, disposeHandler: false));

    /// <summary>Keeps <paramref name="contender"/> to dispose it (if it is disposable) in <see cref="DisposeContenders"/>.</summary>
    private protected T Own<T>(T contender)
        where T : class
    {
        _owned.Add(contender);
        return contender;
    }

    /// <summary>
    /// Runs one contender once with request capture on and throws unless it sent the right request and returned
    /// exactly the canned text and usage. Never called while measuring.
    /// </summary>
    private protected void Verify(string contender, Func<Task<long>> benchmark)
    {
        Handler.Capture = true;
        try
        {
            long returned = benchmark().GetAwaiter().GetResult();
            string text = LastText;
            Verification.CheckAnswer(contender, text, LastUsage, ExpectedUsage);
            CheckRequest(contender, Handler.LastRequest);
            if (returned != text.Length + LastUsage.Output)
            {
                throw new InvalidOperationException($"Benchmark contender '{contender}' returned {returned}.");
            }
        }
        finally
        {
            Handler.Capture = false;
        }
    }

    /// <summary>Disposes the contenders (last created first), their clients, then the handler.</summary>
    private protected void DisposeContenders()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            (_owned[i] as IDisposable)?.Dispose();
        }

        _owned.Clear();
        _handler?.Dispose();
        _handler = null;
    }
}

/// <summary>A P1 class: each contender makes one call and records the text and usage it read.</summary>
public abstract class ChatBenchmarkBase : ContenderBenchmarkBase
{
    private string _lastText = string.Empty;

    private protected override string LastText => _lastText;

    /// <summary>Stores what a call read and returns the benchmark's result (text length + output tokens).</summary>
    private protected long Record(string text, TokenCounts usage)
    {
        _lastText = text;
        LastUsage = usage;
        return text.Length + usage.Output;
    }
}

/// <summary>A P2 class: each contender appends every text delta to the same reused <see cref="Text"/> and keeps the final usage.</summary>
public abstract class StreamingBenchmarkBase : ContenderBenchmarkBase
{
    /// <summary>Gets the builder every contender appends its deltas to; cleared at the start of each call.</summary>
    private protected StringBuilder Text { get; } = new(4096);

    private protected override string LastText => Text.ToString();

    /// <summary>Stores the usage a stream read and returns the benchmark's result (text length + output tokens).</summary>
    private protected long Record(TokenCounts usage)
    {
        LastUsage = usage;
        return Text.Length + usage.Output;
    }
}
