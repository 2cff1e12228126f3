using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Testing.Http;

/// <summary>
/// The base of the test streams: read-only and forward-only (no length, position, seeking or writing; <see cref="Flush"/>
/// does nothing), with every read overload forwarding to <see cref="Read(Span{byte})"/>, so that a derived stream only
/// writes its read logic. A stream whose asynchronous reads differ (e.g. wait) also overrides
/// <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>.
/// </summary>
public abstract class ReadOnlyTestStream : Stream
{
    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public abstract override int Read(Span<byte> buffer);

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Throws if <paramref name="cancellationToken"/> is cancelled, then reads synchronously.</summary>
    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Read(buffer.Span));
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
