using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Google.Wire;

/// <summary>What <see cref="GeminiSseReader.ReadAsync"/> found.</summary>
internal enum SseItemKind
{
    /// <summary>The body ended.</summary>
    End,

    /// <summary>An event's data (its <c>data:</c> lines joined with <c>\n</c>).</summary>
    Data,

    /// <summary>Text outside the SSE framing (Gemini sends a failure after the stream started as raw, multi-line JSON): it and the rest of the body.</summary>
    Raw,
}

/// <summary>
/// Reads Gemini's <c>alt=sse</c> body: events separated by blank lines, lines ended by CRLF, LF or CR (a CR and its LF may
/// arrive in different reads), the last event delivered even without its blank line, comments and <c>event:</c>/<c>id:</c>/
/// <c>retry:</c> fields skipped. Unlike <see cref="System.Net.ServerSentEvents.SseParser"/>, which silently drops lines that are
/// not SSE fields, text outside the framing is reported (<see cref="SseItemKind.Raw"/>), so that a raw JSON error object
/// mid-stream becomes a typed error instead of a silent truncation. Works on UTF-8 bytes (never splits characters).
/// </summary>
internal sealed class GeminiSseReader : IDisposable
{
    private const int MaxEventBytes = 64 * 1024 * 1024;
    private const int MaxRawBytes = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _first = true;
    private byte[] _data;
    private int _dataLength;
    private bool _hasData;

    public GeminiSseReader(Stream stream)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        _data = ArrayPool<byte>.Shared.Rent(4 * 1024);
    }

    /// <summary>Gets the bytes of the item last read (valid until the next read).</summary>
    public ReadOnlySpan<byte> Current => _data.AsSpan(0, _dataLength);

    /// <summary>Reads the next event, raw text, or the end of the body.</summary>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>What was read; its bytes are <see cref="Current"/>.</returns>
    public async ValueTask<SseItemKind> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_first)
            {
                if (_end - _start < 3 && !_eof)
                {
                    await FillAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                _first = false;
                if (_buffer.AsSpan(_start, _end - _start).StartsWith("\uFEFF"u8))
                {
                    _start += 3;
                }
            }

            var pending = _buffer.AsSpan(_start, _end - _start);
            int eol = pending.IndexOfAny((byte)'\r', (byte)'\n');
            if (eol < 0 || (pending[eol] == (byte)'\r' && eol == pending.Length - 1 && !_eof))
            {
                if (!_eof)
                {
                    // No whole line yet (or a CR whose LF may follow in the next read).
                    await FillAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (pending.IsEmpty)
                {
                    if (_hasData)
                    {
                        _hasData = false;
                        return SseItemKind.Data;
                    }

                    _dataLength = 0;
                    return SseItemKind.End;
                }

                // The last line, without its line end.
                eol = pending.Length;
            }

            var line = pending[..eol];
            int consumed = eol < pending.Length && pending[eol] == (byte)'\r' && eol + 1 < pending.Length && pending[eol + 1] == (byte)'\n' ? eol + 2 : Math.Min(eol + 1, pending.Length);
            if (line.IsEmpty)
            {
                _start += consumed;
                if (_hasData)
                {
                    _hasData = false;
                    return SseItemKind.Data;
                }

                continue;
            }

            if (line[0] == (byte)':')
            {
                _start += consumed;
                continue;
            }

            int colon = line.IndexOf((byte)':');
            var field = colon < 0 ? line : line[..colon];
            if (field.SequenceEqual("data"u8))
            {
                var value = colon < 0 ? ReadOnlySpan<byte>.Empty : line[(colon + 1)..];
                if (!value.IsEmpty && value[0] == (byte)' ')
                {
                    value = value[1..];
                }

                if (_hasData)
                {
                    AppendData("\n"u8);
                }
                else
                {
                    _dataLength = 0;
                    _hasData = true;
                }

                AppendData(value);
                _start += consumed;
                continue;
            }

            if (field.SequenceEqual("event"u8) || field.SequenceEqual("id"u8) || field.SequenceEqual("retry"u8))
            {
                _start += consumed;
                continue;
            }

            // Not an SSE field: deliver a pending event first, then this line and the rest of the body as raw text.
            if (_hasData)
            {
                _hasData = false;
                return SseItemKind.Data;
            }

            await ReadRawAsync(cancellationToken).ConfigureAwait(false);
            return SseItemKind.Raw;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        var data = _data;
        _buffer = [];
        _data = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (data.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }

    private async ValueTask ReadRawAsync(CancellationToken cancellationToken)
    {
        _dataLength = 0;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            int room = MaxRawBytes - _dataLength;
            if (room > 0)
            {
                AppendData(pending[..Math.Min(room, pending.Length)]);
            }

            _start = _end;
            if (_eof || _dataLength >= MaxRawBytes)
            {
                return;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void AppendData(ReadOnlySpan<byte> bytes)
    {
        if (_dataLength + bytes.Length > _data.Length)
        {
            if (_dataLength + bytes.Length > MaxEventBytes)
            {
                throw new InvalidOperationException($"A stream event is larger than {MaxEventBytes / (1024 * 1024)} MB.");
            }

            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_data.Length * 2, _dataLength + bytes.Length));
            _data.AsSpan(0, _dataLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_data);
            _data = bigger;
        }

        bytes.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += bytes.Length;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            int length = _end - _start;
            _buffer.AsSpan(_start, length).CopyTo(_buffer);
            _start = 0;
            _end = length;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxEventBytes)
            {
                throw new InvalidOperationException($"A stream line is larger than {MaxEventBytes / (1024 * 1024)} MB.");
            }

            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
