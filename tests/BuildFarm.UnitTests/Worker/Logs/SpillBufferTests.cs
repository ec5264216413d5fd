using System.Text;
using BuildFarm.Protos.V1;
using BuildFarm.UnitTests.Worker.Processes;
using BuildFarm.Worker.Logs;
using Microsoft.Extensions.Time.Testing;

namespace BuildFarm.UnitTests.Worker.Logs;

public sealed class SpillBufferTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Chunks_come_back_in_order_byte_for_byte_numbered_without_gaps_through_memory_and_file()
    {
        using var buffer = Unjoined(1 * MiB);
        var random = new Random(4);
        var appended = new List<(LogStream Stream, DateTimeOffset Time, byte[] Data)>();
        for (var i = 0; i < 300; i++)
        {
            var data = new byte[random.Next(1, 64 * 1024)];
            random.NextBytes(data);
            var chunk = ((LogStream)random.Next(1, 4), Start.AddMilliseconds(i), data);
            appended.Add(chunk);
            buffer.Append(chunk.Item1, chunk.Item2, data);
        }

        Assert.True(buffer.SpilledBytes > 0, "nothing was spilled");
        var drained = Drain(buffer, window: 7);

        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), drained.Select(c => c.Seq));
        Assert.Equal(appended.Select(c => c.Stream), drained.Select(c => c.Stream));
        Assert.Equal(appended.Select(c => c.Time), drained.Select(c => c.Time.ToDateTimeOffset()));
        Assert.All(appended.Zip(drained), pair => Assert.True(pair.First.Data.AsSpan().SequenceEqual(pair.Second.Data.Span), $"chunk {pair.Second.Seq} differs"));
        Assert.True(buffer.IsDrained);
        Assert.Equal(0, buffer.SpilledBytes);
    }

    [Fact]
    public void The_spill_file_is_private_and_has_no_name_left_for_a_crash_to_leave_behind()
    {
        var directory = _temp.Combine("spill");
        using var buffer = new SpillBuffer(directory, 1 * MiB, _time);

        for (var i = 0; i < 40; i++)
        {
            buffer.Append(LogStream.Stdout, Start, new byte[64 * 1024]);
        }

        Assert.True(buffer.SpilledBytes > 0, "nothing was spilled");
        Assert.Empty(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public void A_chunk_sent_but_not_acknowledged_can_be_read_again_for_a_resend()
    {
        using var buffer = Unjoined(1 * MiB);
        for (var i = 0; i < 40; i++)
        {
            buffer.Append(LogStream.Stdout, Start, new byte[64 * 1024]);
        }

        for (var seq = 1L; seq <= 10; seq++)
        {
            Assert.True(buffer.TryGet(seq, out _));
        }

        // The stream broke after the coordinator stored up to 6: a new stream resends from 7.
        buffer.Ack(6);

        Assert.False(buffer.TryGet(6, out _));
        Assert.True(buffer.TryGet(7, out var again));
        Assert.Equal(7, again.Seq);
        Assert.Equal(40, Drain(buffer, window: 3).Count + 6);
    }

    [Fact]
    public void Memory_full_of_unacknowledged_chunks_stops_reading_from_the_file_until_an_ack()
    {
        using var buffer = new SpillBuffer(_temp.Path, 1 * MiB, _time);
        for (var i = 0; i < 64; i++)
        {
            buffer.Append(LogStream.Stdout, Start, new byte[64 * 1024]);
        }

        var sent = 0L;
        while (buffer.TryGet(sent + 1, out _))
        {
            sent++;
        }

        Assert.InRange(sent, 1, 15);
        Assert.True(buffer.HasBacklog);

        buffer.Ack(sent);

        Assert.True(buffer.TryGet(sent + 1, out _));
    }

    [Fact]
    public void A_full_disk_loses_chunks_in_the_open_with_a_marker_and_keeps_the_numbering_gap_free()
    {
        // /dev/full fails every write with ENOSPC, exactly like a full disk.
        using var buffer = new SpillBuffer(_temp.Path, 1 * MiB, _time, _ => new FileStream("/dev/full", FileMode.Open, FileAccess.ReadWrite));
        for (var i = 0; i < 32; i++)
        {
            buffer.Append(LogStream.Stdout, Start.AddSeconds(i), Encoding.ASCII.GetBytes($"chunk {i}\n" + new string('x', 64 * 1024 - 20)));
        }

        Assert.True(buffer.FailureCount >= 1);
        Assert.IsAssignableFrom<IOException>(buffer.LastFailure);
        var kept = buffer.LastSeq;
        Assert.True(buffer.LostBytes > 0);

        var drained = Drain(buffer, window: 4);
        buffer.Append(LogStream.Stderr, Start.AddMinutes(1), "after\n"u8);
        drained.AddRange(Drain(buffer, window: 4));

        Assert.Equal(Enumerable.Range(1, drained.Count).Select(i => (long)i), drained.Select(c => c.Seq));
        var marker = drained[(int)kept];
        Assert.Equal(LogStream.System, marker.Stream);
        Assert.Equal(
            $"[buildfarm] log incomplete: {buffer.LostBytes} bytes of output were lost because the worker could not spill the log to disk ({buffer.LastFailure!.Message}); the step keeps running\n",
            marker.Data.ToStringUtf8());
        Assert.Equal(Start.AddSeconds(kept), marker.Time.ToDateTimeOffset());
        Assert.Equal("after\n", drained[^1].Data.ToStringUtf8());
        Assert.Equal(kept + 2, drained.Count);
    }

    [Fact]
    public void A_spill_file_that_cannot_be_read_back_is_a_loss_with_a_marker_not_an_exception()
    {
        var path = _temp.Combine("spill.bin");
        using var buffer = new SpillBuffer(_temp.Path, 1 * MiB, _time, _ => new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite));
        for (var i = 0; i < 40; i++)
        {
            buffer.Append(LogStream.Stdout, Start, new byte[64 * 1024]);
        }

        var inMemory = buffer.LastSeq;
        var spilled = (40 - inMemory) * 64 * 1024;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.SetLength(0);
        }

        var drained = Drain(buffer, window: 4);

        Assert.Equal(Enumerable.Range(1, (int)inMemory + 1).Select(i => (long)i), drained.Select(c => c.Seq));
        Assert.Equal(spilled, buffer.LostBytes);
        Assert.StartsWith($"[buildfarm] log incomplete: {spilled} bytes of output were lost", drained[^1].Data.ToStringUtf8(), StringComparison.Ordinal);
        Assert.IsType<EndOfStreamException>(buffer.LastFailure);
        Assert.True(buffer.IsDrained);
    }

    [Fact]
    public void A_spill_directory_that_cannot_be_created_is_a_failure_with_a_marker_not_an_exception()
    {
        var blocked = _temp.Combine("a-file");
        File.WriteAllText(blocked, "");
        using var buffer = new SpillBuffer(Path.Combine(blocked, "spill"), 1 * MiB, _time);

        for (var i = 0; i < 20; i++)
        {
            buffer.Append(LogStream.Stdout, Start, new byte[64 * 1024]);
        }

        var drained = Drain(buffer, window: 100);

        Assert.Equal(1, buffer.FailureCount);
        Assert.Equal(LogStream.System, drained[^1].Stream);
        Assert.Contains("log incomplete", drained[^1].Data.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Equal(20L * 64 * 1024, drained.SkipLast(1).Sum(c => (long)c.Data.Length) + buffer.LostBytes);
    }

    [Fact]
    public void An_ack_beyond_anything_numbered_makes_the_pending_chunks_follow_it()
    {
        using var buffer = new SpillBuffer(_temp.Path, 1 * MiB, _time);
        buffer.Append(LogStream.Stdout, Start, "one"u8);
        buffer.Append(LogStream.Stdout, Start, "two"u8);

        // The coordinator already holds 40 chunks of this job (an earlier attempt): continue after them.
        buffer.Ack(40);

        Assert.True(buffer.TryGet(41, out var first));
        Assert.True(buffer.TryGet(42, out var second));
        Assert.Equal(["one", "two"], new[] { first.Data.ToStringUtf8(), second.Data.ToStringUtf8() });
        Assert.Equal(42, buffer.LastSeq);
    }

    [Fact]
    public void Spilled_chunks_of_one_stream_come_back_joined_up_to_the_limit_in_order_byte_for_byte()
    {
        using var buffer = new SpillBuffer(_temp.Path, 4 * MiB, _time);
        var random = new Random(6);
        var appended = new List<(LogStream Stream, byte[] Data)>();
        for (var i = 0; i < 400; i++)
        {
            // Long runs of stdout with the odd stderr chunk, as a build prints.
            var data = new byte[random.Next(1, 64 * 1024)];
            random.NextBytes(data);
            var stream = random.Next(10) == 0 ? LogStream.Stderr : LogStream.Stdout;
            appended.Add((stream, data));
            buffer.Append(stream, Start.AddMilliseconds(i), data);
        }

        // What fit in memory went in as it came; only the spilled rest is joined.
        var direct = buffer.LastSeq;
        var drained = Drain(buffer, window: 3);

        Assert.Equal(Enumerable.Range(1, drained.Count).Select(i => (long)i), drained.Select(c => c.Seq));
        Assert.True(drained.Count < 200, $"{drained.Count} chunks: the backlog was not joined");
        Assert.All(drained, c => Assert.InRange(c.Data.Length, 1, SpillBuffer.MaxJoinedChunkBytes));
        Assert.All(drained.Zip(drained.Skip(1)), pair => Assert.True(
            pair.First.Stream != pair.Second.Stream || pair.First.Data.Length + pair.Second.Data.Length > SpillBuffer.MaxJoinedChunkBytes || pair.First.Seq <= direct,
            $"chunks {pair.First.Seq} and {pair.Second.Seq} could have been one"));
        Assert.Equal(Runs(appended), Runs(drained.Select(c => (c.Stream, c.Data.ToByteArray()))));
        Assert.True(buffer.IsDrained);
    }

    /// <summary>The bytes of each stretch of one stream, so chunkings of the same output compare equal.</summary>
    private static List<(LogStream Stream, string Hex)> Runs(IEnumerable<(LogStream Stream, byte[] Data)> chunks)
    {
        var runs = new List<(LogStream Stream, List<byte> Bytes)>();
        foreach (var (stream, data) in chunks)
        {
            if (runs.Count == 0 || runs[^1].Stream != stream)
            {
                runs.Add((stream, []));
            }

            runs[^1].Bytes.AddRange(data);
        }

        return runs.Select(r => (r.Stream, Convert.ToHexString(r.Bytes.ToArray()))).ToList();
    }

    private SpillBuffer Unjoined(long memoryBudgetBytes) =>
        new(_temp.Path, memoryBudgetBytes, _time, SpillFile.OpenUnlinked, maxJoinedBytes: 1);

    /// <summary>Plays the coordinator: takes up to <paramref name="window"/> chunks, acknowledges them, repeats.</summary>
    private static List<LogChunk> Drain(SpillBuffer buffer, int window)
    {
        var drained = new List<LogChunk>();
        for (var rounds = 0; rounds < 1_000_000; rounds++)
        {
            var taken = 0;
            while (taken < window && buffer.TryGet(buffer.Acked + taken + 1, out var chunk))
            {
                drained.Add(chunk);
                taken++;
            }

            if (taken == 0)
            {
                return drained;
            }

            buffer.Ack(buffer.Acked + taken);
        }

        throw new InvalidOperationException("The buffer never drained.");
    }
}
