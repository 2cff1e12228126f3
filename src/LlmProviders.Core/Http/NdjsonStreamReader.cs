using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading;

namespace LlmProviders.Http;

/// <summary>Parses one NDJSON line (without its line end) from its UTF-8 bytes.</summary>
/// <typeparam name="T">What the line is parsed into.</typeparam>
/// <param name="line">The line's bytes; never empty or only white space.</param>
/// <returns>The parsed value.</returns>
public delegate T NdjsonLineParser<T>(ReadOnlySpan<byte> line);

/// <summary>
/// Reads a newline-delimited JSON body (Ollama's streams) over <see cref="PipeReader"/>: lines split across reads at any
/// byte are joined, LF, CRLF and CR all end a line, blank lines are skipped, and a last line without its line end is
/// still delivered.
/// </summary>
public static class NdjsonStreamReader
{
    /// <summary>Enumerates the lines of an NDJSON body as they arrive.</summary>
    /// <typeparam name="T">What each line is parsed into.</typeparam>
    /// <param name="body">The response body.</param>
    /// <param name="lineParser">Parses one line.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The parsed lines.</returns>
    public static async IAsyncEnumerable<T> EnumerateAsync<T>(Stream body, NdjsonLineParser<T> lineParser, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(lineParser);

        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(leaveOpen: true, minimumReadSize: 4096));
        byte[]? rented = null;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;

                while (TryReadLine(ref buffer, out ReadOnlySequence<byte> line))
                {
                    if (TryParse(line, lineParser, ref rented, out T? item))
                    {
                        yield return item;
                    }
                }

                if (result.IsCompleted)
                {
                    // The last line may lack its line end.
                    if (!buffer.IsEmpty && TryParse(buffer, lineParser, ref rented, out T? last))
                    {
                        reader.AdvanceTo(buffer.End);
                        yield return last;
                    }
                    else
                    {
                        reader.AdvanceTo(buffer.End);
                    }

                    yield break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadToAny(out line, "\r\n"u8, advancePastDelimiter: false))
        {
            return false;
        }

        reader.TryRead(out byte delimiter);
        if (delimiter == (byte)'\r')
        {
            // CRLF needs the next byte; if it is not here yet, wait for it (a lone CR at the very end is handled at completion).
            if (!reader.TryPeek(out byte next))
            {
                line = default;
                return false;
            }

            if (next == (byte)'\n')
            {
                reader.Advance(1);
            }
        }

        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private static bool TryParse<T>(ReadOnlySequence<byte> line, NdjsonLineParser<T> parser, ref byte[]? rented, out T item)
    {
        ReadOnlySpan<byte> span;
        if (line.IsSingleSegment)
        {
            span = line.FirstSpan;
        }
        else
        {
            int length = checked((int)line.Length);
            if (rented is null || rented.Length < length)
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }

                rented = ArrayPool<byte>.Shared.Rent(length);
            }

            line.CopyTo(rented);
            span = rented.AsSpan(0, length);
        }

        span = span.Trim("\r\n\t "u8);
        if (span.IsEmpty)
        {
            item = default!;
            return false;
        }

        item = parser(span);
        return true;
    }
}
