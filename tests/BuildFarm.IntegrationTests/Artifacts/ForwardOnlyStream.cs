namespace BuildFarm.IntegrationTests.Artifacts;

/// <summary>Reads like a network or pipe body: no length, no seeking, short reads. The store must not rely on more.</summary>
/// <param name="content">What the stream yields.</param>
/// <param name="failAt">Where a read fails, as a dropped connection or a vanished file would.</param>
internal sealed class ForwardOnlyStream(byte[] content, long failAt = long.MaxValue) : Stream
{
    // Odd and smaller than a part, so parts are assembled from many reads that don't line up with them.
    private const int MaxRead = 100_003;

    private int _position;

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
        if (_position >= failAt)
        {
            throw new IOException($"Simulated read failure at byte {_position}.");
        }

        var count = Math.Min(Math.Min(buffer.Length, MaxRead), content.Length - _position);
        content.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
