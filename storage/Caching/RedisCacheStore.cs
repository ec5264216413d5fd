using System.Buffers;
using System.Globalization;
using StackExchange.Redis;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// The store in Redis. Each blob is one value (a chunk, far below the 512 MiB cap) written with one
/// SET, so it is visible whole or not at all. An entry is published in one MULTI/EXEC guarded by
/// "the manifest key does not exist": manifest, entry record and index appear together, and of two
/// saves of one key exactly one commits. Every key has a TTL (a backstop for eviction), renewed
/// when a save finds the blob or a restore uses it. Concurrent commands are pipelined on the one
/// connection, so thousands of small blobs do not mean thousands of round trips.
/// </summary>
public sealed class RedisCacheStore : ICacheStore, IAsyncDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly string _prefix;
    private readonly TimeSpan _ttl;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    /// <param name="configuration">StackExchange.Redis configuration string.</param>
    /// <param name="keyPrefix">Prepended to every key.</param>
    /// <param name="ttl">Expiry of every key, renewed on use.</param>
    /// <param name="connectTimeout">Connecting (and the handshake) may take this long, then the operation fails.</param>
    /// <param name="idleTimeout">One command may wait this long for its answer.</param>
    public RedisCacheStore(string configuration, string keyPrefix, TimeSpan ttl, TimeSpan connectTimeout, TimeSpan idleTimeout)
    {
        _configuration = ConfigurationOptions.Parse(configuration);
        // Fail the operation (a cache miss) instead of waiting in the background for a server that may never come.
        _configuration.AbortOnConnectFail = true;
        _configuration.ConnectRetry = 1;
        _configuration.ConnectTimeout = (int)connectTimeout.TotalMilliseconds;
        _configuration.AsyncTimeout = (int)idleTimeout.TotalMilliseconds;
        _configuration.SyncTimeout = (int)idleTimeout.TotalMilliseconds;
        _prefix = keyPrefix;
        _ttl = ttl;
    }

    public string Name => "Redis";

    public async Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        // EXPIRE answers whether the key exists and renews it in one command.
        return await db.KeyExpireAsync(BlobKey(hash), _ttl).WaitAsync(cancellationToken);
    }

    public async Task PutBlobAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        var transaction = db.CreateTransaction();
        var set = transaction.StringSetAsync(BlobKey(hash), compressed, _ttl);
        var written = transaction.SortedSetAddAsync(Key("blobs"), hash, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
        await Task.WhenAll(set, written).WaitAsync(cancellationToken);
    }

    public async Task<byte[]?> GetBlobAsync(string hash, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        var value = await db.StringGetAsync(BlobKey(hash)).WaitAsync(cancellationToken);
        return value.IsNull ? null : (byte[]?)value;
    }

    public async Task<IMemoryOwner<byte>?> RentBlobAsync(string hash, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        return await db.StringGetLeaseAsync(BlobKey(hash)).WaitAsync(cancellationToken);
    }

    public async Task<bool> TryPublishAsync(CacheEntryInfo entry, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        var transaction = db.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(ManifestKey(entry.Key)));
        _ = transaction.StringSetAsync(ManifestKey(entry.Key), manifest, _ttl);
        _ = transaction.HashSetAsync(EntryKey(entry.Key),
        [
            new HashEntry("created", entry.CreatedAt.ToUnixTimeMilliseconds()),
            new HashEntry("bytes", entry.TotalBytes),
            new HashEntry("files", entry.Files),
            new HashEntry("hits", 0),
        ]);
        _ = transaction.KeyExpireAsync(EntryKey(entry.Key), _ttl);
        // Score 0 for all: members then sort by bytes, which makes ZRANGEBYLEX a prefix lookup.
        _ = transaction.SortedSetAddAsync(Key("entries"), entry.Key, 0);
        return await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    public async Task<bool> HasEntryAsync(string key, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        return await db.KeyExistsAsync(ManifestKey(key)).WaitAsync(cancellationToken);
    }

    public async Task<byte[]?> GetManifestAsync(string key, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        var value = await db.StringGetAsync(ManifestKey(key)).WaitAsync(cancellationToken);
        return value.IsNull ? null : (byte[]?)value;
    }

    public async Task<IReadOnlyList<CacheEntryInfo>> ListEntriesAsync(string prefix, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        // Keys are ASCII below DEL, so "[prefix" to "(prefix\x7f" is exactly the keys with that prefix.
        var keys = prefix.Length == 0
            ? await db.SortedSetRangeByValueAsync(Key("entries")).WaitAsync(cancellationToken)
            : await db.SortedSetRangeByValueAsync(Key("entries"), prefix, prefix + "\x7f", Exclude.Stop).WaitAsync(cancellationToken);
        var reads = keys.Select(k => (Key: (string)k!, Fields: db.HashGetAllAsync(EntryKey((string)k!)))).ToList();
        await Task.WhenAll(reads.Select(r => r.Fields)).WaitAsync(cancellationToken);
        var found = new List<CacheEntryInfo>(reads.Count);
        var gone = new List<RedisValue>();
        foreach (var (key, fields) in reads)
        {
            var map = (await fields).ToDictionary(f => (string)f.Name!, f => (long)f.Value);
            if (!map.TryGetValue("created", out var created))
            {
                // Expired: the index forgets it.
                gone.Add(key);
                continue;
            }

            found.Add(new CacheEntryInfo(
                key,
                DateTimeOffset.FromUnixTimeMilliseconds(created),
                map.GetValueOrDefault("bytes"),
                (int)map.GetValueOrDefault("files"),
                map.GetValueOrDefault("hits"),
                map.TryGetValue("restored", out var restored) ? DateTimeOffset.FromUnixTimeMilliseconds(restored) : null));
        }

        if (gone.Count > 0)
        {
            await db.SortedSetRemoveAsync(Key("entries"), [.. gone]).WaitAsync(cancellationToken);
        }

        return found;
    }

    public async Task RecordRestoreAsync(string key, DateTimeOffset at, IReadOnlyCollection<string> blobs, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        var batch = db.CreateBatch();
        var pending = new List<Task>(blobs.Count + 4)
        {
            batch.HashIncrementAsync(EntryKey(key), "hits"),
            batch.HashSetAsync(EntryKey(key), "restored", at.ToUnixTimeMilliseconds()),
            batch.KeyExpireAsync(EntryKey(key), _ttl),
            batch.KeyExpireAsync(ManifestKey(key), _ttl),
        };
        pending.AddRange(blobs.Select(b => batch.KeyExpireAsync(BlobKey(b), _ttl)));
        batch.Execute();
        await Task.WhenAll(pending).WaitAsync(cancellationToken);
    }

    public async Task DeleteEntryAsync(string key, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        var transaction = db.CreateTransaction();
        _ = transaction.KeyDeleteAsync([ManifestKey(key), EntryKey(key)]);
        _ = transaction.SortedSetRemoveAsync(Key("entries"), key);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        var blobs = await db.SortedSetRangeByRankWithScoresAsync(Key("blobs")).WaitAsync(cancellationToken);
        return blobs.Select(b => new StoredBlob((string)b.Element!, DateTimeOffset.FromUnixTimeMilliseconds((long)b.Score))).ToList();
    }

    public async Task DeleteBlobAsync(string hash, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken);
        var transaction = db.CreateTransaction();
        _ = transaction.KeyDeleteAsync(BlobKey(hash));
        _ = transaction.SortedSetRemoveAsync(Key("blobs"), hash);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } connected)
        {
            return connected.GetDatabase();
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            // A failed connect leaves no multiplexer behind, so the next operation tries again.
            _connection ??= await ConnectionMultiplexer.ConnectAsync(_configuration).WaitAsync(cancellationToken);
            return _connection.GetDatabase();
        }
        finally
        {
            _connecting.Release();
        }
    }

    private RedisKey Key(string name) => _prefix + name;

    private RedisKey BlobKey(string hash) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}blob:{hash}");

    private RedisKey ManifestKey(string key) => $"{_prefix}manifest:{key}";

    private RedisKey EntryKey(string key) => $"{_prefix}entry:{key}";
}
