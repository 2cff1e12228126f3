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

        // How many bytes at the start of the unconsumed buffer are known to hold no line end: a long line arriving over
        // many reads is scanned once, not once per read.
        long scanned = 0;
        bool first = true;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;

                while (TryReadLine(ref buffer, ref scanned, out ReadOnlySequence<byte> line))
                {
                    if (TryParse(line, lineParser, ref rented, ref first, out T? item))
                    {
                        yield return item;
                    }
                }

                if (result.IsCompleted)
                {
                    // The last line may lack its line end.
                    bool hasLast = TryParse(buffer, lineParser, ref rented, ref first, out T? last);
                    reader.AdvanceTo(buffer.End);
                    if (hasLast)
                    {
                        yield return last!;
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

    // CR and LF each end a line, so a line is complete as soon as its first line-end byte arrives (no waiting for a
    // possible LF after a CR); the empty "line" between the CR and the LF of a CRLF is a blank line, which is skipped.
    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, ref long scanned, out ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(scanned);
        if (!reader.TryAdvanceToAny("\r\n"u8, advancePastDelimiter: false))
        {
            scanned = buffer.Length;
            line = default;
            return false;
        }

        line = buffer.Slice(0, reader.Position);
        buffer = buffer.Slice(buffer.GetPosition(1, reader.Position));
        scanned = 0;
        return true;
    }

    private static bool TryParse<T>(ReadOnlySequence<byte> line, NdjsonLineParser<T> parser, ref byte[]? rented, ref bool first, out T item)
    {
        item = default!;
        if (line.IsEmpty)
        {
            return false;
        }

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
                    rented = null;
                }

                rented = ArrayPool<byte>.Shared.Rent(length);
            }

            line.CopyTo(rented);
            span = rented.AsSpan(0, length);
        }

        if (first)
        {
            // A UTF-8 byte order mark may open the body (a proxy re-encoding it); JSON parsers reject it.
            first = false;
            if (span.StartsWith(Utf8Bom))
            {
                span = span[Utf8Bom.Length..];
            }
        }

        span = span.Trim(" \t\r\n"u8);
        if (span.IsEmpty)
        {
            return false;
        }

        item = parser(span);
        return true;
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];
}
