using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Caching;
using BuildFarm.Protos.V1;
using BuildFarm.Storage.Caching;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>The dependency cache's entries over gRPC: the same rules as <c>/api/cache/entries</c>.</summary>
public sealed class CacheGrpcService(CacheEntries entries) : CacheService.CacheServiceBase
{
    [Authorize(Permissions.Read)]
    public override async Task<ListCacheEntriesResponse> ListCacheEntries(ListCacheEntriesRequest request, ServerCallContext context)
    {
        var (page, next) = await entries.ListAsync(request.Prefix, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListCacheEntriesResponse { NextPageToken = next ?? "" };
        response.Entries.AddRange(page.Select(ToProto));
        return response;
    }

    [Authorize(Permissions.Admin)]
    public override async Task<CacheEntry> DeleteCacheEntry(DeleteCacheEntryRequest request, ServerCallContext context) =>
        ToProto(await entries.DeleteAsync(request.Key, context.CancellationToken));

    [Authorize(Permissions.Admin)]
    public override async Task<PurgeCacheEntriesResponse> PurgeCacheEntries(PurgeCacheEntriesRequest request, ServerCallContext context)
    {
        var response = new PurgeCacheEntriesResponse();
        response.PurgedKeys.AddRange(await entries.PurgeAsync(request.Prefix, request.All, context.CancellationToken));
        return response;
    }

    private static CacheEntry ToProto(CacheEntryInfo entry) => new()
    {
        Key = entry.Key,
        SizeBytes = entry.TotalBytes,
        Files = entry.Files,
        CreatedAt = Timestamp.FromDateTimeOffset(entry.CreatedAt),
        LastHitAt = entry.LastRestoredAt is { } hit ? Timestamp.FromDateTimeOffset(hit) : null,
        Hits = entry.Hits,
    };
}
