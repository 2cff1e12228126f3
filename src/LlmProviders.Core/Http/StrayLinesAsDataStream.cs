using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Http;

/// <summary>
/// A read-only pass-through stream that turns every line that is not an SSE field (<c>data</c>, <c>event</c>, <c>id</c>,
/// <c>retry</c>), a comment or blank into a data line of an event of type <see cref="SseStreamReader.UnframedEventType"/>.
/// <see cref="System.Net.ServerSentEvents.SseParser"/>, following the specification, ignores such lines; Gemini sends a failure
/// after its stream started as raw, multi-line JSON, which this turns into one event (its lines joined with <c>\n</c>) that
/// the provider reads as the error it is — while other text outside the framing stays recognisable as such.
/// Bytes are otherwise unchanged (line ends included), so a CR and its LF may still arrive in different reads.
/// </summary>
internal sealed class StrayLinesAsDataStream : Stream
{
    private static readonly byte[] DataPrefix = "event: unframed\ndata: "u8.ToArray();
    private readonly Stream _inner;
    private byte[] _line = ArrayPool<byte>.Shared.Rent(4096);
    private int _lineLength;
    private byte[] _output = ArrayPool<byte>.Shared.Rent(4096);
    private int _outputStart;
    private int _outputEnd;
    private byte[] _input = ArrayPool<byte>.Shared.Rent(8192);
    private bool _eof;

    public StrayLinesAsDataStream(Stream inner) => _inner = inner;

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

    public override int Read(Span<byte> buffer)
    {
        while (_outputStart == _outputEnd && !_eof && !buffer.IsEmpty)
        {
            Process(_inner.Read(_input));
        }

        return Drain(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_outputStart == _outputEnd && !_eof && !buffer.IsEmpty)
        {
            Process(await _inner.ReadAsync(_input, cancellationToken).ConfigureAwait(false));
        }

        return Drain(buffer.Span);
    }

    private int Drain(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, _outputEnd - _outputStart);
        _output.AsSpan(_outputStart, n).CopyTo(buffer);
        _outputStart += n;
        return n;
    }

    private void Process(int read)
    {
        _outputStart = _outputEnd = 0;
        if (read == 0)
        {
            _eof = true;
            EmitLine(ReadOnlySpan<byte>.Empty);
            return;
        }

        var input = _input.AsSpan(0, read);
        while (!input.IsEmpty)
        {
            int end = input.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                Append(ref _line, ref _lineLength, input);
                return;
            }

            Append(ref _line, ref _lineLength, input[..end]);
            EmitLine(input.Slice(end, 1));
            input = input[(end + 1)..];
        }
    }

    private void EmitLine(ReadOnlySpan<byte> terminator)
    {
        var line = _line.AsSpan(0, _lineLength);
        if (!line.IsEmpty && !IsSseLine(line))
        {
            Append(ref _output, ref _outputEnd, DataPrefix);
        }

        Append(ref _output, ref _outputEnd, line);
        Append(ref _output, ref _outputEnd, terminator);
        _lineLength = 0;
    }

    private static bool IsSseLine(ReadOnlySpan<byte> line) =>
        line[0] == (byte)':' || IsField(line, "data"u8) || IsField(line, "event"u8) || IsField(line, "id"u8) || IsField(line, "retry"u8);

    private static bool IsField(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name) =>
        line.StartsWith(name) && (line.Length == name.Length || line[name.Length] == (byte)':');

    private static void Append(ref byte[] buffer, ref int length, ReadOnlySpan<byte> bytes)
    {
        if (length + bytes.Length > buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + bytes.Length));
            buffer.AsSpan(0, length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = bigger;
        }

        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
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
            ArrayPool<byte>.Shared.Return(_line);
            ArrayPool<byte>.Shared.Return(_output);
            ArrayPool<byte>.Shared.Return(_input);
            _line = _output = _input = [];
        }

        base.Dispose(disposing);
    }
}
