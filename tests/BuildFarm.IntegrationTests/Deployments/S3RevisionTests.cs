extern alias worker;

using System.IO.Compression;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Storage.Artifacts;
using worker::BuildFarm.Worker.Deploy;
using worker::BuildFarm.Worker.Logs;

namespace BuildFarm.IntegrationTests.Deployments;

/// <summary>
/// A revision that is a build artifact in the S3 artifact store (the distributed farm's), fetched by the agent from
/// the real s3rver and deployed: the installed bytes are compared, because s3rver stores a chunk-encoded upload
/// corrupted without an error.
/// </summary>
[Collection(S3Collection.Name)]
[SupportedOSPlatform("linux")]
public sealed class S3RevisionTests(S3Fixture s3) : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly string _temp = Directory.CreateTempSubdirectory("bf-it-s3-revision-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task A_revision_stored_in_s3_in_parts_is_fetched_and_installed_byte_for_byte_and_a_missing_one_fails_download_bundle()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var bucket = await s3.CreateBucketAsync("revisions", timeout.Token);
        var store = new S3ArtifactStore(s3.Client, bucket, "artifacts", 5 * MiB);
        // Random bytes do not compress, so the zip is past the 5 MiB part size and goes up (and down) in parts.
        var payload = RandomNumberGenerator.GetBytes((int)(12 * MiB));
        var zip = Revision(payload);
        await using (var content = File.OpenRead(zip))
        {
            await store.PutAsync("web/run-7/bundle.zip", content, content.Length, timeout.Token);
        }
        var host = new HostPaths(Path.Combine(_temp, "host"));
        var executor = new DeploymentExecutor(host, new AgentState(host.Map("/opt/buildfarm-agent")), new ArtifactRevisionSource(store), TimeProvider.System, TimeSpan.FromSeconds(1));

        var deployed = await DeployAsync(executor, "web/run-7/bundle.zip", timeout.Token);
        var missing = await DeployAsync(executor, "web/run-8/bundle.zip", timeout.Token);

        Assert.True(deployed.Outcome.Succeeded, deployed.Log);
        Assert.Equal(payload, await File.ReadAllBytesAsync(host.Map("/opt/app/payload.bin"), timeout.Token));
        Assert.Contains($"sha256 {Convert.ToHexStringLower(SHA256.HashData(payload))}", deployed.Log, StringComparison.Ordinal);
        Assert.False(missing.Outcome.Succeeded);
        Assert.Equal(("DownloadBundle", DeploymentEventStatus.Failed), (missing.Outcome.FailedEvent!.Event, missing.Outcome.FailedEvent.Status));
        Assert.Contains("web/run-8/bundle.zip", missing.Outcome.FailedEvent.Message, StringComparison.Ordinal);
    }

    private string Revision(byte[] payload)
    {
        var source = Directory.CreateDirectory(Path.Combine(_temp, "revision")).FullName;
        File.WriteAllText(Path.Combine(source, "appspec.yml"),
            "version: 0.0\nos: linux\nfiles:\n  - source: payload.bin\n    destination: /opt/app\nhooks:\n  ValidateService:\n    - location: check.sh\n");
        File.WriteAllBytes(Path.Combine(source, "payload.bin"), payload);
        File.WriteAllText(Path.Combine(source, "check.sh"), "#!/bin/bash\necho \"sha256 $(sha256sum \"$BUILDFARM_ROOT/opt/app/payload.bin\" | cut -d' ' -f1)\"\n");
        File.SetUnixFileMode(Path.Combine(source, "check.sh"), (UnixFileMode)Convert.ToInt32("755", 8));
        var zip = Path.Combine(_temp, "revision.zip");
        ZipFile.CreateFromDirectory(source, zip);
        return zip;
    }

    private static async Task<(DeploymentOutcome Outcome, string Log)> DeployAsync(DeploymentExecutor executor, string revision, CancellationToken cancellationToken)
    {
        var sink = new TextSink();
        DeploymentOutcome outcome;
        using (var log = new LogBatcher(sink, TimeProvider.System))
        {
            outcome = await executor.RunAsync(new DeploymentRequest(Guid.NewGuid(), "app", Guid.NewGuid(), "web", revision), new NoProgress(), log, cancellationToken);
            log.Flush();
        }
        return (outcome, sink.Text);
    }

    private sealed class TextSink : ILogChunkSink
    {
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public void Enqueue(worker::BuildFarm.Protos.V1.LogStream stream, DateTimeOffset time, ReadOnlyMemory<byte> data)
        {
            lock (_text)
            {
                _text.Append(Encoding.UTF8.GetString(data.Span));
            }
        }
    }

    private sealed class NoProgress : IDeploymentProgress
    {
        public Task EventStartedAsync(string lifecycleEvent, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task EventFinishedAsync(DeploymentEventResult result, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
