using System.Security.Cryptography;
using BuildFarm.Protos.V1;

namespace BuildFarm.Client;

public sealed partial class BuildFarmClient
{
    private ArtifactService.ArtifactServiceClient ArtifactsClient => new(_invoker);

    /// <summary>The artifacts a run's jobs stored (buildspec <c>artifacts</c>), by name.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BuildFarmException">NOT_FOUND for an unknown run.</exception>
    public async Task<IReadOnlyList<Artifact>> ListArtifactsAsync(string runId, CancellationToken cancellationToken = default) =>
        (await CallAsync(() => ArtifactsClient.ListArtifactsAsync(new ListArtifactsRequest { RunId = runId }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync)).Artifacts;

    /// <summary>
    /// Writes an artifact's zip to <paramref name="destination"/> and checks its size and SHA-256
    /// against what the worker recorded. No deadline: a large zip takes as long as it takes; cancel instead.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="name">The artifact's name, e.g. <c>primary</c>.</param>
    /// <param name="destination">Written from its current position; not disposed.</param>
    /// <param name="cancellationToken">Stops the download.</param>
    /// <returns>The artifact as recorded.</returns>
    /// <exception cref="BuildFarmException">NOT_FOUND for an unknown run or artifact name.</exception>
    /// <exception cref="InvalidDataException">The bytes received do not match the recorded size or SHA-256.</exception>
    public async Task<Artifact> DownloadArtifactAsync(string runId, string name, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var call = ArtifactsClient.DownloadArtifact(new DownloadArtifactRequest { RunId = runId, Name = name }, cancellationToken: cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Artifact? artifact = null;
        long received = 0;
        await foreach (var chunk in ReadAllAsync(call, cancellationToken))
        {
            artifact ??= chunk.Artifact;
            if (chunk.Offset != received)
            {
                throw new InvalidDataException($"Artifact '{name}': a chunk at byte {chunk.Offset} arrived where byte {received} was expected.");
            }

            hash.AppendData(chunk.Data.Span);
            await destination.WriteAsync(chunk.Data.Memory, cancellationToken);
            received += chunk.Data.Length;
        }

        if (artifact is null)
        {
            throw new InvalidDataException($"Artifact '{name}': the coordinator sent nothing.");
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        return received == artifact.SizeBytes && sha256 == artifact.Sha256
            ? artifact
            : throw new InvalidDataException(
                $"Artifact '{name}': received {received} bytes with SHA-256 {sha256}; the worker stored {artifact.SizeBytes} bytes with {artifact.Sha256}.");
    }
}
