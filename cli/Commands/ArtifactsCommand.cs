using System.Globalization;
using BuildFarm.Cli.Output;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm artifacts RUN [--download NAME [--out FILE]]`: a run's artifacts, or one of them as a checked zip.</summary>
public static class ArtifactsCommand
{
    public static Task<int> ListAsync(CliContext context, string runId, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var artifacts = await client.ListArtifactsAsync(runId, cancellationToken);
            if (context.Json)
            {
                var response = new ListArtifactsResponse();
                response.Artifacts.AddRange(artifacts);
                await Json.WriteAsync(context.Output, response);
                return 0;
            }

            if (artifacts.Count == 0)
            {
                await context.Error.WriteLineAsync($"buildfarm: run {runId} stored no artifacts");
                return 0;
            }

            var now = context.Time.GetUtcNow();
            await Table.WriteAsync(
                context.Output,
                ["NAME", "SIZE", "SHA256", "STORED", "KEY"],
                artifacts.Select(a => (IReadOnlyList<Cell>)[a.Name, Size(a.SizeBytes), a.Sha256, RelativeTime.Format(a.StoredAt.ToDateTimeOffset(), now), a.Key]).ToList());
            return 0;
        });

    /// <param name="context">The server command's context.</param>
    /// <param name="runId">The run.</param>
    /// <param name="name">The artifact's name.</param>
    /// <param name="path">Where the zip goes; default <c>NAME.zip</c> in the current directory; <c>-</c> for stdout.</param>
    /// <param name="cancellationToken">Stops the download (the partial file is deleted).</param>
    public static Task<int> DownloadAsync(CliContext context, string runId, string name, string? path, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            if (path == "-")
            {
                await using var stdout = Console.OpenStandardOutput();
                await client.DownloadArtifactAsync(runId, name, stdout, cancellationToken);
                return 0;
            }

            path ??= $"{name}.zip";
            // Written beside the target and renamed, so a failed or refused download never leaves a partial zip under the name.
            var partial = path + ".partial";
            Artifact artifact;
            try
            {
                await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 128 * 1024, useAsync: true))
                {
                    artifact = await client.DownloadArtifactAsync(runId, name, file, cancellationToken);
                }

                File.Move(partial, path, overwrite: true);
            }
            catch (InvalidDataException ex)
            {
                await context.Error.WriteLineAsync($"buildfarm: {ex.Message}");
                return 1;
            }
            finally
            {
                File.Delete(partial);
            }

            if (context.Json)
            {
                await Json.WriteAsync(context.Output, artifact);
            }
            else
            {
                await context.Output.WriteLineAsync($"{path}: {Size(artifact.SizeBytes)}, sha256 {artifact.Sha256} (checked)");
            }

            return 0;
        });

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
    };
}
