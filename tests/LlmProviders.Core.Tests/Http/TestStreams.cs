using System;
using System.Text;
using LlmProviders.Testing.Http;

namespace LlmProviders.Tests.Http;

/// <summary>Bodies for the stream tests, built on <see cref="ScriptedBodyStream"/>.</summary>
internal static class TestStreams
{
    /// <summary>
    /// A body that serves <paramref name="first"/>, then pauses its next read (honouring the read's cancellation token)
    /// until <see cref="ScriptedBodyStream.Release"/> is called, then serves <paramref name="rest"/>.
    /// <see cref="ScriptedBodyStream.PauseReached"/> completes when a read is waiting at the gate, which proves that the
    /// consumer asked for more before the body ended. With no <paramref name="rest"/> and no release, it models a server
    /// that stops sending but keeps the connection open.
    /// </summary>
    public static ScriptedBodyStream Gated(string first, string rest = "")
    {
        byte[] head = Encoding.UTF8.GetBytes(first);
        return new ScriptedBodyStream([.. head, .. Encoding.UTF8.GetBytes(rest)], new ScriptedBodyOptions { PauseAfterBytes = head.Length });
    }
}

/// <summary>Seeds and limits shared by the split-read tests.</summary>
internal static class SplitSeeds
{
    /// <summary>Gets the seeds every split test replays (fixed, so a failure names its seed and replays).</summary>
    public static readonly int[] Seeds = BuildSeeds(200);

    /// <summary>A generous bound for "this must not hang" waits; never a sleep.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private static int[] BuildSeeds(int count)
    {
        var seeds = new int[count];
        for (int i = 0; i < count; i++)
        {
            seeds[i] = i * 7919 + 1;
        }

        return seeds;
    }
}

/// <summary>A read-only stream that returns the given chunks, one per read (a read smaller than a chunk gets a part of it).</summary>
internal sealed class ChunkStream(params byte[][] chunks) : ReadOnlyTestStream
{
    private int _chunk;
    private int _offset;

    public static ChunkStream FromStrings(params string[] chunks) =>
        new(Array.ConvertAll(chunks, c => Encoding.UTF8.GetBytes(c)));

    public override int Read(Span<byte> buffer)
    {
        while (_chunk < chunks.Length && _offset == chunks[_chunk].Length)
        {
            _chunk++;
            _offset = 0;
        }

        if (_chunk == chunks.Length || buffer.IsEmpty)
        {
            return 0;
        }

        int n = Math.Min(buffer.Length, chunks[_chunk].Length - _offset);
        chunks[_chunk].AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }
}
