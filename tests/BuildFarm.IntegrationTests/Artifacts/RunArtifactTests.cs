using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using BuildFarm.Client;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;
using Grpc.Core;

namespace BuildFarm.IntegrationTests.Artifacts;

/// <summary>
/// Artifacts end to end on the distributed farm: the worker zips and stores them, reports them with the
/// job's result, and the coordinator lists and serves them over HTTP (with Range) and gRPC (the SDK).
/// </summary>
public sealed class RunArtifactTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private const string Spec = """
        version: 0.2
        phases:
          build:
            commands:
              - mkdir -p out docs
              - head -c 70000 /dev/urandom > out/app.bin
              - echo "read me" > docs/README.txt
        artifacts:
          files:
            - out/**/*
          secondary-artifacts:
            docs:
              base-directory: docs
              files:
                - '**/*'
        """;

    [Fact]
    public async Task A_runs_artifacts_are_listed_and_download_over_http_and_grpc_with_their_sha256()
    {
        var runId = await RunAsync("artifacts-both");

        var list = await farm.Http.GetFromJsonAsync<List<ArtifactBody>>($"/api/runs/{runId}/artifacts", Wait.Up(Limit));
        Assert.NotNull(list);
        Assert.Equal(["docs", "primary"], list.Select(a => a.Name));
        var primary = list.Single(a => a.Name == "primary");
        Assert.Equal($"artifacts-both/{runId}/primary.zip", primary.Key);

        using var response = await farm.Http.GetAsync(primary.DownloadUrl, Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(primary.Sha256, response.Headers.GetValues("X-Checksum-Sha256").Single());
        var zip = await response.Content.ReadAsByteArrayAsync(Wait.Up(Limit));
        Assert.Equal(primary.SizeBytes, zip.Length);
        Assert.Equal(primary.Sha256, Convert.ToHexStringLower(SHA256.HashData(zip)));
        using (var archive = new ZipArchive(new MemoryStream(zip)))
        {
            Assert.Equal(70000, archive.GetEntry("out/app.bin")!.Length);
        }

        using var ranged = new HttpRequestMessage(HttpMethod.Get, primary.DownloadUrl);
        ranged.Headers.Range = new RangeHeaderValue(100, 1099);
        using var partial = await farm.Http.SendAsync(ranged, Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(zip[100..1100], await partial.Content.ReadAsByteArrayAsync(Wait.Up(Limit)));

        var overGrpc = await farm.Client.ListArtifactsAsync(runId, Wait.Up(Limit));
        Assert.Equal(list.Select(a => (a.Name, a.SizeBytes, a.Sha256)), overGrpc.Select(a => (a.Name, a.SizeBytes, a.Sha256)));
        using var downloaded = new MemoryStream();
        var docs = await farm.Client.DownloadArtifactAsync(runId, "docs", downloaded, Wait.Up(Limit));
        Assert.Equal(list.Single(a => a.Name == "docs").Sha256, docs.Sha256);
        using (var archive = new ZipArchive(new MemoryStream(downloaded.ToArray())))
        {
            Assert.Equal(["README.txt"], archive.Entries.Select(e => e.FullName));
        }
    }

    [Fact]
    public async Task An_unknown_artifact_or_run_is_not_found_and_a_run_without_artifacts_lists_none()
    {
        await farm.Client.ApplyPipelineAsync("artifacts-none", "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n", cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync("artifacts-none", cancellationToken: Wait.Up(Limit));
        Assert.Equal(RunStatus.Succeeded, (await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit))).Status);

        Assert.Empty(await farm.Client.ListArtifactsAsync(run.Id, Wait.Up(Limit)));
        var missing = await farm.Http.GetAsync($"/api/runs/{run.Id}/artifacts/primary", Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var unknownRun = await farm.Http.GetAsync($"/api/runs/{Guid.NewGuid()}/artifacts", Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.NotFound, unknownRun.StatusCode);
        var ex = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.DownloadArtifactAsync(run.Id, "primary", Stream.Null, Wait.Up(Limit)));
        Assert.Equal(StatusCode.NotFound, ex.Status);
    }

    private async Task<string> RunAsync(string pipeline)
    {
        await farm.Client.ApplyPipelineAsync(pipeline, Spec, cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync(pipeline, cancellationToken: Wait.Up(Limit));
        var done = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Succeeded, done.Status);
        return run.Id;
    }

    private sealed record ArtifactBody(string Name, string Key, long SizeBytes, string Sha256, string DownloadUrl);
}
