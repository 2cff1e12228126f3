using System;
using System.Buffers;

namespace LlmProviders.Http;

/// <summary>
/// A whole response body read into a buffer rented from <see cref="ArrayPool{T}.Shared"/>
/// (see <see cref="LlmHttp.ReadBodyAsync"/>). Dispose it exactly once, and do not use copies after that.
/// </summary>
public readonly struct PooledResponseBody : IDisposable
{
    private readonly byte[]? _buffer;

    internal PooledResponseBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>Gets the number of bytes in the body.</summary>
    public int Length { get; }

    /// <summary>Gets the body's bytes.</summary>
    public ReadOnlySpan<byte> Span => _buffer is null ? ReadOnlySpan<byte>.Empty : _buffer.AsSpan(0, Length);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
