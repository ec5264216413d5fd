namespace BuildFarm.Storage.Artifacts;

/// <summary>
/// A stored artifact as a seekable, read-only stream of a known length, so that HTTP Range
/// processing and resumed gRPC downloads work on every store: a seek only moves the position, and
/// the next read opens the store at it (S3: a ranged GET).
/// </summary>
public sealed class ArtifactReadStream(IArtifactStore store, string key, long length) : Stream
{
    private Stream? _inner;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        _inner ??= await store.OpenReadAsync(key, _position, cancellationToken);
        var read = await _inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - _position)], cancellationToken);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Every caller here (Kestrel, gRPC) reads asynchronously; blocking a thread on a network read is not offered.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("ArtifactReadStream is read asynchronously only.");

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            _inner?.Dispose();
            _inner = null;
            _position = target;
        }

        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner?.Dispose();
            _inner = null;
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_inner is not null)
        {
            await _inner.DisposeAsync();
            _inner = null;
        }

        await base.DisposeAsync();
    }
}
