using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Caching;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>The dependency cache's entries: anyone who reads may list them, admins delete them.</summary>
public static class CacheEndpoints
{
    public static RouteGroupBuilder MapCacheEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/cache/entries").WithTags("Cache");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.Read)
            .WithSummary("Cache entries in key order (key, sizeBytes, files, createdAt, lastHitAt, hits), filtered by key prefix, keyset-paged by nextPageToken.");
        group.MapDelete("/", PurgeAsync).RequireAuthorization(Permissions.Admin)
            .WithSummary("Purge every entry whose key starts with prefix (all=true with no prefix: every entry); their blobs go at the next eviction.");
        group.MapDelete("/{key}", DeleteAsync).RequireAuthorization(Permissions.Admin)
            .WithSummary("Delete one entry; the response is the entry as it was.");
        return group;
    }

    private static async Task<Ok<CacheEntryListResponse>> ListAsync(
        CacheEntries entries, CancellationToken cancellationToken, string? prefix = null, int pageSize = 0, string? pageToken = null)
    {
        var (page, next) = await entries.ListAsync(prefix, pageSize, pageToken, cancellationToken);
        return TypedResults.Ok(new CacheEntryListResponse(page.Select(CacheEntryResponse.From).ToList(), next));
    }

    private static async Task<Ok<CachePurgeResponse>> PurgeAsync(CacheEntries entries, CancellationToken cancellationToken, string? prefix = null, bool all = false) =>
        TypedResults.Ok(new CachePurgeResponse(await entries.PurgeAsync(prefix, all, cancellationToken)));

    private static async Task<Ok<CacheEntryResponse>> DeleteAsync(string key, CacheEntries entries, CancellationToken cancellationToken) =>
        TypedResults.Ok(CacheEntryResponse.From(await entries.DeleteAsync(key, cancellationToken)));
}
