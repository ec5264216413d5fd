using BuildFarm.Core.Definitions;
using BuildFarm.Storage.Artifacts;

namespace BuildFarm.Worker.Artifacts;

/// <summary>
/// CodeBuild's UPLOAD_ARTIFACTS for one job: zips the primary artifact and each secondary one and
/// stores them under <see cref="ArtifactKey.For"/>, telling the job's log what it did.
/// </summary>
public sealed class ArtifactPublisher(ArtifactPackager packager, IArtifactStore store)
{
    /// <param name="pipeline">The pipeline's name, the keys' first segment.</param>
    /// <param name="runId">The run, the keys' second segment.</param>
    /// <param name="artifacts">The buildspec's <c>artifacts</c> section.</param>
    /// <param name="sourceDirectory">Where the phases ran.</param>
    /// <param name="tempDirectory">Where the zips are written while they upload.</param>
    /// <param name="log">One line for the job's log per step; never given secrets.</param>
    /// <param name="cancellationToken">Stops packaging and uploading (a multipart upload is aborted).</param>
    /// <returns>What was stored and the first failure; every artifact is tried even after one fails.</returns>
    public async Task<ArtifactPublishResult> PublishAsync(
        string pipeline,
        Guid runId,
        BuildSpecArtifacts artifacts,
        string sourceDirectory,
        string tempDirectory,
        Action<string> log,
        CancellationToken cancellationToken)
    {
        var stored = new List<StoredArtifact>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        string? firstError = null;
        foreach (var (name, section) in Sections(artifacts))
        {
            var error = await PublishOneAsync(pipeline, runId, name, section, sourceDirectory, tempDirectory, keys, stored, log, cancellationToken);
            if (error is not null)
            {
                log($"Artifact {name}: CLIENT_ERROR: {error}");
                firstError ??= $"artifact '{name}': {error}";
            }
        }

        return new ArtifactPublishResult(stored, firstError);
    }

    private async Task<string?> PublishOneAsync(
        string pipeline,
        Guid runId,
        string name,
        BuildSpecArtifacts section,
        string sourceDirectory,
        string tempDirectory,
        HashSet<string> keys,
        List<StoredArtifact> stored,
        Action<string> log,
        CancellationToken cancellationToken)
    {
        var key = ArtifactKey.Compose(pipeline, runId, name);
        if (ArtifactKey.Problem(key) is { } problem)
        {
            return $"cannot be stored as '{key}': the key {problem}";
        }

        if (!keys.Add(key))
        {
            return $"its key '{key}' is already used by another artifact of this build";
        }

        using var package = await packager.PackageAsync(sourceDirectory, section, tempDirectory, cancellationToken);
        foreach (var warning in package.Warnings)
        {
            log($"Artifact {name}: {warning}");
        }

        if (!package.Succeeded)
        {
            return package.Error;
        }

        log($"Artifact {name}: uploading {package.Entries.Count} file(s), {package.Length} bytes zipped, to {key}");
        try
        {
            await using var zip = package.OpenRead();
            var artifact = await store.PutAsync(key, zip, package.Length, cancellationToken);
            stored.Add(artifact);
            log($"Artifact {name}: stored {artifact.Key} sha256 {artifact.Sha256}");
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Each backend fails in its own types (S3, HTTP, IO); any of them is this build's failure
            // reason, and the job must still report its result rather than die with it.
            return $"upload failed: {ex.Message}";
        }
    }

    private static IEnumerable<(string Name, BuildSpecArtifacts Section)> Sections(BuildSpecArtifacts primary)
    {
        yield return (string.IsNullOrEmpty(primary.Name) ? ArtifactKey.PrimaryName : primary.Name, primary);
        foreach (var (identifier, secondary) in primary.SecondaryArtifacts.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            yield return (identifier, secondary);
        }
    }
}
