using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Tests.Http;

/// <summary>
/// A read-only stream over fixed bytes whose every read returns a random number of bytes (1..<c>maxChunk</c>) drawn
/// from a fixed seed, so that a body is split at every kind of boundary (mid-line, mid-CRLF, mid-UTF-8 sequence) and
/// a failing seed replays exactly.
/// </summary>
internal sealed class RandomSplitStream : Stream
{
    private readonly byte[] _data;
    private readonly Random _random;
    private readonly int _maxChunk;
    private int _position;

    public RandomSplitStream(byte[] data, int seed, int maxChunk = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunk, 1);
        _data = data;
        _random = new Random(seed);
        _maxChunk = maxChunk;
    }

    /// <summary>Gets the number of reads that returned data.</summary>
    public int Reads { get; private set; }

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
        int remaining = _data.Length - _position;
        if (remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        int n = Math.Min(Math.Min(buffer.Length, remaining), _random.Next(1, _maxChunk + 1));
        _data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        Reads++;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// A stream that serves <c>first</c>, then blocks its next read (honouring the read's cancellation token) until
/// <see cref="Release"/> is called, then serves <c>rest</c>. <see cref="Blocked"/> completes when a read is waiting at
/// the gate, which proves that the consumer asked for more before the body ended. With no <c>rest</c> and no release,
/// it models a server that stops sending but keeps the connection open.
/// </summary>
internal sealed class GatedStream : Stream
{
    private readonly byte[] _first;
    private readonly byte[] _rest;
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _cancelObserved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _firstPosition;
    private int _restPosition;

    public GatedStream(byte[] first, byte[]? rest = null)
    {
        _first = first;
        _rest = rest ?? [];
    }

    /// <summary>Gets a task that completes when a read is blocked at the gate.</summary>
    public Task Blocked => _blocked.Task;

    /// <summary>Gets a task that completes when a blocked read saw its token cancelled.</summary>
    public Task CancellationObserved => _cancelObserved.Task;

    /// <summary>Gets a value indicating whether the rest was served.</summary>
    public bool Released => _gate.Task.IsCompleted;

    public void Release() => _gate.TrySetResult();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_firstPosition < _first.Length)
        {
            int n = Math.Min(buffer.Length, _first.Length - _firstPosition);
            _first.AsMemory(_firstPosition, n).CopyTo(buffer);
            _firstPosition += n;
            return n;
        }

        if (!_gate.Task.IsCompleted)
        {
            _blocked.TrySetResult();
            try
            {
                await _gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _cancelObserved.TrySetResult();
                throw;
            }
        }

        int m = Math.Min(buffer.Length, _rest.Length - _restPosition);
        _rest.AsMemory(_restPosition, m).CopyTo(buffer);
        _restPosition += m;
        return m;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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
internal sealed class ChunkStream : Stream
{
    private readonly byte[][] _chunks;
    private int _chunk;
    private int _offset;

    public ChunkStream(params byte[][] chunks) => _chunks = chunks;

    public static ChunkStream FromStrings(params string[] chunks) =>
        new(Array.ConvertAll(chunks, c => System.Text.Encoding.UTF8.GetBytes(c)));

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
        while (_chunk < _chunks.Length && _offset == _chunks[_chunk].Length)
        {
            _chunk++;
            _offset = 0;
        }

        if (_chunk == _chunks.Length || buffer.IsEmpty)
        {
            return 0;
        }

        int n = Math.Min(buffer.Length, _chunks[_chunk].Length - _offset);
        _chunks[_chunk].AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
