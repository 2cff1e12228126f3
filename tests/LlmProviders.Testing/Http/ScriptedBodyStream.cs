using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Testing.Http;

/// <summary>
/// A response body that hands out its bytes the way a network does: in reads of random size (1..<see cref="ScriptedBodyOptions.MaxReadSize"/>
/// bytes, from a fixed seed, so splits fall inside multi-byte UTF-8 sequences and CRLF pairs), optionally pausing after a
/// number of bytes until the test releases it, or failing with an <see cref="IOException"/> there. Every read honours its
/// cancellation token, including while paused.
/// </summary>
public sealed class ScriptedBodyStream : ReadOnlyTestStream
{
    private readonly byte[] _body;
    private readonly ScriptedBodyOptions _options;
    private readonly Random? _random;
    private readonly TaskCompletionSource _pauseReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _cancellationObserved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;
    private int _disposed;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="body">The bytes to serve.</param>
    /// <param name="options">How to serve them.</param>
    public ScriptedBodyStream(byte[] body, ScriptedBodyOptions options)
    {
        _body = body ?? throw new ArgumentNullException(nameof(body));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _random = options.SplitSeed is { } seed ? new Random(seed) : null;
    }

    /// <summary>Gets the number of bytes handed out so far.</summary>
    public int BytesServed => Volatile.Read(ref _position);

    /// <summary>Gets the total number of bytes of the body.</summary>
    public int TotalBytes => _body.Length;

    /// <summary>Gets a value indicating whether the reader disposed the body (the response was released).</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Gets a task that completes when a read reached the pause point.</summary>
    public Task PauseReached => _pauseReached.Task;

    /// <summary>Gets a task that completes when a read waiting at the pause point saw its token cancelled.</summary>
    public Task CancellationObserved => _cancellationObserved.Task;

    /// <summary>Gets a value indicating whether <see cref="Release"/> was called.</summary>
    public bool IsReleased => _released.Task.IsCompleted;

    /// <summary>Lets a paused body continue.</summary>
    public void Release() => _released.TrySetResult();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (_options.PauseAfterBytes is { } pause && _position >= pause && !_released.Task.IsCompleted)
        {
            _pauseReached.TrySetResult();
            try
            {
                await _released.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex)
            {
                _cancellationObserved.TrySetResult();
                if (_options.ReportCancellationAsIOException)
                {
                    throw new IOException("The operation was aborted.", ex);
                }

                throw;
            }
        }

        return ReadCore(buffer.Span);
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (_options.PauseAfterBytes is { } pause && _position >= pause && !_released.Task.IsCompleted)
        {
            _pauseReached.TrySetResult();
            _released.Task.GetAwaiter().GetResult();
        }

        return ReadCore(buffer);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        Interlocked.Exchange(ref _disposed, 1);
        base.Dispose(disposing);
    }

    private int ReadCore(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_options.FailAfterBytes is { } fail && _position >= fail)
        {
            throw new IOException("The connection was reset by the scripted server.");
        }

        int remaining = _body.Length - _position;
        if (remaining <= 0)
        {
            return 0;
        }

        int n = Math.Min(buffer.Length, remaining);
        if (_random is not null)
        {
            n = Math.Min(n, _random.Next(1, Math.Max(1, _options.MaxReadSize) + 1));
        }

        // Never read past a pause or failure point in one go.
        if (_options.PauseAfterBytes is { } pause && _position < pause)
        {
            n = Math.Min(n, pause - _position);
        }

        if (_options.FailAfterBytes is { } failAt && _position < failAt)
        {
            n = Math.Min(n, failAt - _position);
        }

        _body.AsSpan(_position, n).CopyTo(buffer);
        Volatile.Write(ref _position, _position + n);
        return n;
    }
}

/// <summary>How a <see cref="ScriptedBodyStream"/> serves its bytes.</summary>
public sealed class ScriptedBodyOptions
{
    /// <summary>Gets or sets the seed of the random read sizes; <see langword="null"/> serves as much as each read asks for.</summary>
    public int? SplitSeed { get; set; }

    /// <summary>Gets or sets the largest read when <see cref="SplitSeed"/> is set.</summary>
    /// <value>The default value is 16.</value>
    public int MaxReadSize { get; set; } = 16;

    /// <summary>Gets or sets the number of bytes after which the body pauses until released.</summary>
    public int? PauseAfterBytes { get; set; }

    /// <summary>Gets or sets the number of bytes after which a read throws an <see cref="IOException"/> (a connection reset).</summary>
    public int? FailAfterBytes { get; set; }

    /// <summary>Gets or sets a value indicating whether a read cancelled while paused throws an <see cref="IOException"/> (as some transports do) instead of an <see cref="OperationCanceledException"/>.</summary>
    public bool ReportCancellationAsIOException { get; set; }
}
