using System.Buffers;
using BuildFarm.Core.Logs;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Processes;

namespace BuildFarm.Worker.Logs;

/// <summary>
/// Masks a step's secrets before its output goes anywhere: one <see cref="SecretMasker"/> per
/// stream, because stdout and stderr interleave and a secret split across two stdout reads must
/// still be found even if stderr wrote in between.
/// </summary>
/// <remarks>
/// A masker may hold back the start of a possible secret until the next read, so call
/// <see cref="FlushAsync"/> when the step has ended. The instance can then serve the next step.
/// </remarks>
public sealed class MaskingSink : IOutputSink
{
    private readonly IOutputSink _inner;
    private readonly SecretPatterns _patterns;
    private readonly Lock _lock = new();
    // Indexed by the LogStream value; created on first use.
    private readonly StreamMasker?[] _streams = new StreamMasker?[4];

    public MaskingSink(IOutputSink inner, SecretPatterns patterns)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(patterns);
        _inner = inner;
        _patterns = patterns;
    }

    /// <summary>Occurrences replaced so far, all streams together.</summary>
    public long Replacements
    {
        get
        {
            lock (_lock)
            {
                return _streams.Sum(s => s?.Masker.Replacements ?? 0);
            }
        }
    }

    public async ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_patterns.IsEmpty)
        {
            await _inner.WriteAsync(stream, data, cancellationToken).ConfigureAwait(false);
            return;
        }

        var state = Get(stream);
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            state.Masker.Write(data.Span, state.Output);
            await ForwardAsync(stream, state, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Releases what each stream's masker held back (masked), in stream order.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _streams.Length; i++)
        {
            StreamMasker? state;
            lock (_lock)
            {
                state = _streams[i];
            }

            if (state is null)
            {
                continue;
            }

            await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                state.Masker.Flush(state.Output);
                await ForwardAsync((LogStream)i, state, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                state.Gate.Release();
            }
        }
    }

    private async ValueTask ForwardAsync(LogStream stream, StreamMasker state, CancellationToken cancellationToken)
    {
        try
        {
            if (state.Output.WrittenCount > 0)
            {
                await _inner.WriteAsync(stream, state.Output.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // The inner sink copied what it keeps (the IOutputSink contract), so the buffer is free again.
            state.Output.ResetWrittenCount();
        }
    }

    private StreamMasker Get(LogStream stream)
    {
        var index = (int)stream;
        ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(stream));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _streams.Length, nameof(stream));
        lock (_lock)
        {
            return _streams[index] ??= new StreamMasker(new SecretMasker(_patterns));
        }
    }

    /// <remarks>
    /// The gate is a SemaphoreSlim because the buffer stays in use across the awaited inner write.
    /// Its wait handle is never asked for, so it needs no Dispose, and the sink none either.
    /// </remarks>
    private sealed class StreamMasker(SecretMasker masker)
    {
        public SecretMasker Masker { get; } = masker;

        public ArrayBufferWriter<byte> Output { get; } = new(LogBatcher.MaxChunkBytes);

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
