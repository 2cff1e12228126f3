using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Http;

/// <summary>A JSON request body written with <see cref="Utf8JsonWriter"/> into a pooled buffer, returned to the pool when the content is disposed.</summary>
public sealed class PooledJsonContent : HttpContent
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // One writer per thread, reused across bodies. It is taken out of the slot while a body is being written, so a
    // body built inside another body's callback gets a writer of its own instead of corrupting the outer one.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private byte[]? _buffer;
    private int _length;

    private PooledJsonContent(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;

        // A header value of its own: MediaTypeHeaderValue is mutable, and a shared instance would let one caller's
        // change reach every other request.
        Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
    }

    /// <summary>Gets the written JSON (valid until the content is disposed; empty after).</summary>
    public ReadOnlyMemory<byte> Json => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, _length);

    /// <summary>Writes a JSON body.</summary>
    /// <typeparam name="TState">The state the writer callback reads.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="write">Writes the body: one complete JSON value.</param>
    /// <returns>The content.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="write"/> left an object or array open.</exception>
    public static PooledJsonContent Create<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var output = new PooledBufferWriter();
        var writer = t_writer;
        t_writer = null;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, WriterOptions);
        }
        else
        {
            writer.Reset(output);
        }

        try
        {
            write(writer, state);
            if (writer.CurrentDepth != 0)
            {
                throw new InvalidOperationException($"The request body is incomplete JSON: {writer.CurrentDepth} object(s) or array(s) were left open.");
            }

            writer.Flush();
            return new PooledJsonContent(output.Detach(out int length), length);
        }
        catch
        {
            output.Dispose();
            throw;
        }
        finally
        {
            writer.Reset(Stream.Null);
            t_writer = writer;
        }
    }

    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(Json, cancellationToken).AsTask();

    /// <inheritdoc />
    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.Write(Json.Span);

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Atomically: two racing Dispose calls must not return the same array twice (two later renters would share it).
        if (disposing && Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }

    private sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
        private int _written;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsSpan(_written);
        }

        public byte[] Detach(out int length)
        {
            length = _written;
            var b = _buffer;
            _buffer = [];
            return b;
        }

        public void Dispose()
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }
        }

        private void Ensure(int sizeHint)
        {
            sizeHint = Math.Max(sizeHint, 256);
            if (_buffer.Length - _written >= sizeHint)
            {
                return;
            }

            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + sizeHint));
            _buffer.AsSpan(0, _written).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }
}
