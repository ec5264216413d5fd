using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Artifacts;
using BuildFarm.Coordinator.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace BuildFarm.Coordinator.Api;

/// <summary>A run's artifacts: the list its workers reported, and each zip streamed from the artifact store.</summary>
public static class ArtifactsEndpoints
{
    /// <summary>Lowercase hex SHA-256 of the whole zip, on every download (also on a Range response, which carries part of it).</summary>
    public const string Sha256Header = "X-Checksum-Sha256";

    public static RouteGroupBuilder MapArtifactsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs/{id}/artifacts").WithTags("Artifacts").RequireAuthorization(Permissions.Read);
        group.MapGet("/", ListAsync).WithSummary("The run's stored artifacts: name, key, size, sha256, download URL.");
        group.MapGet("/{name}", DownloadAsync)
            .WithSummary($"The artifact's zip (application/zip); supports Range; the {Sha256Header} header is the whole zip's SHA-256.");
        return group;
    }

    private static async Task<Ok<List<ArtifactResponse>>> ListAsync(string id, RunArtifacts artifacts, CancellationToken cancellationToken) =>
        TypedResults.Ok((await artifacts.ListAsync(RunsEndpoints.ParseId(id), cancellationToken)).Select(ArtifactResponse.From).ToList());

    private static async Task<FileStreamHttpResult> DownloadAsync(
        string id, string name, RunArtifacts artifacts, HttpResponse response, CancellationToken cancellationToken)
    {
        var (artifact, content) = await artifacts.OpenAsync(RunsEndpoints.ParseId(id), name, cancellationToken);
        response.Headers[Sha256Header] = artifact.Sha256;
        // The checksum names this exact content, so it is a strong validator for conditional and ranged requests.
        return TypedResults.Stream(
            content, "application/zip", $"{artifact.Name}.zip", artifact.StoredAt, new EntityTagHeaderValue($"\"{artifact.Sha256}\""),
            enableRangeProcessing: true);
    }
}
