using System.IO.Compression;
using System.Runtime.Versioning;
using BuildFarm.Core.Definitions;
using BuildFarm.Storage.Artifacts;
using BuildFarm.Worker.Artifacts;

namespace BuildFarm.UnitTests.Worker.Artifacts;

[SupportedOSPlatform("linux")]
public sealed class ArtifactPublisherTests : IDisposable
{
    private static readonly Guid RunId = Guid.Parse("5f0e7d8c-1b2a-4c3d-8e9f-a0b1c2d3e4f5");

    private readonly ArtifactTree _tree = new();
    private readonly FileSystemArtifactStore _store;
    private readonly ArtifactPublisher _publisher;
    private readonly List<string> _log = [];

    public ArtifactPublisherTests()
    {
        _store = new FileSystemArtifactStore(Path.Combine(_tree.Root, "store"));
        _publisher = new ArtifactPublisher(new ArtifactPackager(), _store);
    }

    public void Dispose() => _tree.Dispose();

    [Fact]
    public async Task The_primary_and_each_secondary_artifact_are_stored_under_pipeline_run_and_name()
    {
        _tree.Files(["backend/appspec.yml", "backend/build/libs/app.jar", "reports/junit.xml"]);
        var artifacts = new BuildSpecArtifacts(["appspec.yml", "build/libs/*.jar"])
        {
            BaseDirectory = "backend",
            SecondaryArtifacts = new Dictionary<string, BuildSpecArtifacts>
            {
                ["reports"] = new(["reports/**/*"]),
            },
        };

        var result = await PublishAsync(artifacts);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(
            [$"web/{RunId}/primary.zip", $"web/{RunId}/reports.zip"],
            result.Stored.Select(s => s.Key));
        Assert.Equal(result.Stored, await _store.ListAsync($"web/{RunId}/", CancellationToken.None));
        Assert.Equal(["appspec.yml", "build/libs/app.jar"], await EntriesAsync($"web/{RunId}/primary.zip"));
        Assert.Equal(["reports/junit.xml"], await EntriesAsync($"web/{RunId}/reports.zip"));
        Assert.Contains(_log, l => l.Contains("sha256", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(_tree.Temp));
    }

    [Fact]
    public async Task A_named_primary_artifact_is_stored_under_its_name()
    {
        _tree.File("site/index.html");

        var result = await PublishAsync(new BuildSpecArtifacts(["site/**/*"]) { Name = "website" });

        Assert.Equal([$"web/{RunId}/website.zip"], result.Stored.Select(s => s.Key));
    }

    [Fact]
    public async Task An_artifact_that_matches_nothing_fails_the_publish_but_the_others_are_still_stored()
    {
        _tree.File("reports/junit.xml");
        var artifacts = new BuildSpecArtifacts(["build/libs/*.jar"])
        {
            SecondaryArtifacts = new Dictionary<string, BuildSpecArtifacts> { ["reports"] = new(["reports/*"]) },
        };

        var result = await PublishAsync(artifacts);

        Assert.Equal("artifact 'primary': no matching artifact paths found", result.Error);
        Assert.Equal([$"web/{RunId}/reports.zip"], result.Stored.Select(s => s.Key));
        Assert.Contains("Artifact primary: CLIENT_ERROR: no matching artifact paths found", _log);
    }

    [Fact]
    public async Task Two_artifacts_with_one_key_are_refused_rather_than_overwritten()
    {
        _tree.File("a.txt");
        var artifacts = new BuildSpecArtifacts(["a.txt"])
        {
            Name = "reports",
            SecondaryArtifacts = new Dictionary<string, BuildSpecArtifacts> { ["reports"] = new(["a.txt"]) },
        };

        var result = await PublishAsync(artifacts);

        Assert.Single(result.Stored);
        Assert.Contains("already used", result.Error, StringComparison.Ordinal);
    }

    private Task<ArtifactPublishResult> PublishAsync(BuildSpecArtifacts artifacts) =>
        _publisher.PublishAsync("web", RunId, artifacts, _tree.Source, _tree.Temp, _log.Add, CancellationToken.None);

    private async Task<string[]> EntriesAsync(string key)
    {
        await using var stream = await _store.OpenReadAsync(key, CancellationToken.None);
        using var archive = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, CancellationToken.None);
        return [.. archive.Entries.Select(e => e.FullName)];
    }
}
