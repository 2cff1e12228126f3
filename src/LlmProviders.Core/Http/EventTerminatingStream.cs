using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Http;

/// <summary>
/// A read-only pass-through stream that, at the end of the inner stream, supplies two line feeds. The SSE
/// specification (and so <see cref="System.Net.ServerSentEvents.SseParser"/>) drops a last event that is not closed
/// by a blank line; some servers and proxies omit that line. Extra blank lines after a complete event dispatch nothing.
/// </summary>
internal sealed class EventTerminatingStream : Stream
{
    private static ReadOnlySpan<byte> Terminator => "\n\n"u8;
    private readonly Stream _inner;
    private int _terminatorPosition = -1;

    public EventTerminatingStream(Stream inner) => _inner = inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) =>
        _terminatorPosition >= 0 ? ReadTerminator(buffer) : AfterRead(_inner.Read(buffer), buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_terminatorPosition >= 0)
        {
            return new ValueTask<int>(ReadTerminator(buffer.Span));
        }

        // Runs once per network read: complete synchronously without a state machine when the inner read did, and
        // use a pooled builder otherwise, so a long stream does not allocate per chunk.
        ValueTask<int> read = _inner.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? new ValueTask<int>(AfterRead(read.Result, buffer.Span)) : AwaitRead(read, buffer);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitRead(ValueTask<int> read, Memory<byte> buffer) =>
        AfterRead(await read.ConfigureAwait(false), buffer.Span);

    private int AfterRead(int n, Span<byte> buffer)
    {
        if (n > 0 || buffer.IsEmpty)
        {
            return n;
        }

        _terminatorPosition = 0;
        return ReadTerminator(buffer);
    }

    private int ReadTerminator(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, Terminator.Length - _terminatorPosition);
        Terminator.Slice(_terminatorPosition, n).CopyTo(buffer);
        _terminatorPosition += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
