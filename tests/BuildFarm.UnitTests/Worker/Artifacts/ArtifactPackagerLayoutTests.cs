using System.Runtime.Versioning;
using BuildFarm.Worker.Artifacts;

namespace BuildFarm.UnitTests.Worker.Artifacts;

[SupportedOSPlatform("linux")]
public sealed class ArtifactPackagerLayoutTests : IDisposable
{
    private readonly ArtifactTree _tree = new();

    public static TheoryData<string> Cases => [.. ArtifactLayoutCases.All.Keys];

    public void Dispose() => _tree.Dispose();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Zips_the_files_CodeBuild_would_under_the_names_it_would(string scenario)
    {
        var (onDisk, artifacts, expected) = ArtifactLayoutCases.All[scenario];
        _tree.Files(onDisk);

        using var package = await new ArtifactPackager().PackageAsync(_tree.Source, artifacts, _tree.Temp, CancellationToken.None);

        Assert.True(package.Succeeded, package.Error);
        var entries = ArtifactTree.Read(package.ZipPath!);
        Assert.Equal(expected, entries.Select(e => e.Name));
        Assert.Equal(expected, package.Entries);
        // Each file's content is its own path on disk, so this proves the right file went under each name.
        Assert.All(entries, e => Assert.EndsWith(e.Name.Split('/')[^1], e.Content, StringComparison.Ordinal));
    }
}
