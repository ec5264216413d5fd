extern alias coordinator;

using System.Security.Cryptography;
using System.Text;
using BuildFarm.Core.Logs;
using BuildFarm.IntegrationTests.Fixtures;
using coordinator::BuildFarm.Coordinator.Logs;
using coordinator::BuildFarm.Coordinator.Persistence;
using coordinator::BuildFarm.Coordinator.Persistence.Entities;
using coordinator::BuildFarm.Coordinator.Persistence.Postgres;
using coordinator::BuildFarm.Coordinator.Persistence.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.IntegrationTests.Logs;

/// <summary>
/// Log chunks are stored as the worker encoded them (zstd, or raw when that does not pay, or raw from
/// before compression) on both providers, and every reader gets the decoded bytes at decoded offsets.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LogChunkStorageTests(PostgresFixture postgres) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("bf-log-chunks-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Compressed_raw_and_pre_compression_chunks_read_back_byte_exact_by_decoded_offset(string provider)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var db = await CreateAsync(provider, timeout.Token);
        var jobId = Guid.NewGuid();
        // An old row (no encoding), a compressible one, an incompressible one, and a compressible one again.
        var old = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50).Select(i => $"old line {i}\n")));
        var lines = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 30_000).Select(i => $"building target {i % 40} \u001b[33mwarn\u001b[0m\n")));
        var noise = new byte[48 * 1024];
        new Random(3).NextBytes(noise);
        noise.AsSpan().Replace((byte)'\n', (byte)'\v');
        var giant = Enumerable.Repeat((byte)'y', 900 * 1024).Append((byte)0xfe).ToArray();
        var chunks = new[] { old, lines, noise, giant };
        var offset = 0L;
        for (var i = 0; i < chunks.Length; i++)
        {
            var compressed = i == 0 ? null : LogChunkCodec.Compress(chunks[i], LogChunkCodec.DefaultLevel);
            db.LogChunks.Add(new LogChunk
            {
                JobId = jobId,
                Seq = i + 1,
                Offset = offset,
                Length = chunks[i].Length,
                Stream = 1,
                Time = DateTimeOffset.UnixEpoch,
                Encoding = compressed is null ? LogChunkEncoding.Raw : LogChunkEncoding.Zstd,
                Data = compressed ?? chunks[i],
            });
            offset += chunks[i].Length;
        }

        await db.SaveChangesAsync(timeout.Token);
        db.ChangeTracker.Clear();
        var whole = chunks.SelectMany(c => c).ToArray();

        var stored = await db.LogChunks.AsNoTracking().Where(c => c.JobId == jobId).OrderBy(c => c.Seq).ToListAsync(timeout.Token);
        Assert.Equal([LogChunkEncoding.Raw, LogChunkEncoding.Zstd, LogChunkEncoding.Raw, LogChunkEncoding.Zstd], stored.Select(c => c.Encoding));
        Assert.True(stored[1].Data.Length < lines.Length / 8 && stored[3].Data.Length < giant.Length / 100, "the compressible chunks were stored as they are");
        Assert.Equal(noise, stored[2].Data);

        var store = new LogStore(db);
        Assert.Equal((4L, (long)whole.Length), await store.GetEndAsync(jobId, timeout.Token));
        Assert.Equal(SHA256.HashData(whole), SHA256.HashData(await ReadAsync(store, jobId, 0, timeout.Token)));
        // Ranges that start inside a compressed chunk and cross into the raw one and past it.
        foreach (var from in new long[] { old.Length + 7, old.Length + lines.Length - 3, old.Length + lines.Length + noise.Length + 1, whole.Length - 1 })
        {
            Assert.Equal(whole[(int)from..], await ReadAsync(store, jobId, from, timeout.Token));
        }

        // The tail counts lines in decoded bytes across the encodings ("giant" has no newline).
        var tail = await store.TailOffsetAsync(jobId, 2, timeout.Token);
        Assert.Equal(old.Length + lines.AsSpan(0, lines.Length - 1).LastIndexOf((byte)'\n') + 1, tail);
    }

    [Fact]
    public async Task Postgres_stores_the_compressed_chunks_out_of_line_without_compressing_them_again()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var db = await CreateAsync("Postgres", timeout.Token);

        var storage = await db.Database.SqlQueryRaw<string>(
                "SELECT attstorage::text AS \"Value\" FROM pg_attribute WHERE attrelid = '\"LogChunks\"'::regclass AND attname = 'Data'")
            .SingleAsync(timeout.Token);

        Assert.Equal("e", storage);
    }

    /// <summary>Reads in small steps, so that every read but the first starts at a chunk boundary or inside one.</summary>
    private static async Task<byte[]> ReadAsync(LogStore store, Guid jobId, long offset, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        while (true)
        {
            var segments = await store.ReadAsync(jobId, offset, 64 * 1024, cancellationToken);
            if (segments.Count == 0)
            {
                return buffer.ToArray();
            }

            foreach (var segment in segments)
            {
                Assert.Equal(offset, segment.Offset);
                buffer.Write(segment.Data.Span);
                offset = segment.End;
            }
        }
    }

    private async Task<BuildFarmDbContext> CreateAsync(string provider, CancellationToken cancellationToken)
    {
        BuildFarmDbContext db = provider == "Postgres"
            ? new PostgresBuildFarmDbContext(new DbContextOptionsBuilder<PostgresBuildFarmDbContext>()
                .UseNpgsql(await postgres.CreateDatabaseAsync("log_chunks", cancellationToken)).Options)
            : new SqliteBuildFarmDbContext(new DbContextOptionsBuilder<SqliteBuildFarmDbContext>()
                .UseSqlite($"Data Source={Path.Combine(_directory, "farm.db")}").Options);
        await db.Database.MigrateAsync(cancellationToken);
        return db;
    }
}
