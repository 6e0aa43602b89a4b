namespace ThanosBridge.Adapters.Thanos;

/// <summary>
/// A read-only stream over <paramref name="source"/> that writes every byte it hands out to <paramref name="copy"/>
/// before returning it. Owns neither stream. A failure to write the copy is a <see cref="ResponseBodyCopyException"/>,
/// so that it is never mistaken for an I/O error of the source (a transport failure, which would be retried).
/// </summary>
internal sealed class TeeStream(Stream source, Stream copy) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            try
            {
                await copy.WriteAsync(buffer[..read], cancellationToken);
            }
            catch (IOException e)
            {
                throw new ResponseBodyCopyException("could not write the copy of the response body: " + e.Message, e);
            }
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = source.Read(buffer);
        try
        {
            copy.Write(buffer[..read]);
        }
        catch (IOException e)
        {
            throw new ResponseBodyCopyException("could not write the copy of the response body: " + e.Message, e);
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
