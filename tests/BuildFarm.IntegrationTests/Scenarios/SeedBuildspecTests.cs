using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using BuildFarm.IntegrationTests.Runs;

namespace BuildFarm.IntegrationTests.Scenarios;

/// <summary>
/// examples/seed/buildspec.yml as it is: Debian's real Gradle builds the backend offline, and the
/// artifact zip holds what CodeDeploy installs (appspec.yml at its root, the jar, the hook scripts).
/// </summary>
[Collection(EmbeddedFarmCollection.Name)]
public sealed class SeedBuildspecTests(EmbeddedFarmFixture farm)
{
    [Fact]
    public async Task The_seeds_buildspec_builds_its_gradle_backend_into_the_revision_codedeploy_expects()
    {
        Assert.True(File.Exists("/usr/bin/gradle"), "Debian's gradle is not installed: run the tests through scripts/test.sh, which installs it.");
        var seed = SeedDirectory();
        // The stand-in for a source checkout (the pipeline's source stage brings the repository):
        // the install phase first copies the seed into the job's source directory.
        var buildspec = await File.ReadAllTextAsync(Path.Combine(seed, "buildspec.yml"));
        var definition = buildspec.Replace(
            "      - java -version\n", "      - cp -R \"$SEED_SOURCE\"/. \"$CODEBUILD_SRC_DIR\"\n      - java -version\n", StringComparison.Ordinal);
        Assert.NotEqual(buildspec, definition);
        var limit = Wait.Up(TimeSpan.FromMinutes(5));

        await farm.Client.ApplyPipelineAsync("seed", definition, "buildspec.yml", limit);
        var run = await farm.Client.TriggerRunAsync("seed", new Dictionary<string, string> { ["SEED_SOURCE"] = seed }, cancellationToken: limit);
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(200), limit);
        var log = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, limit));

        Assert.True(final.Status == Protos.V1.RunStatus.Succeeded, $"{final.Status} ({final.Reason})\n{log}");
        Assert.Contains("BUILD SUCCESSFUL", log, StringComparison.Ordinal);
        var zip = Directory.GetFiles(Path.Combine(farm.DataDirectory, "artifacts"), "*.zip", SearchOption.AllDirectories)
            .Single(path => path.Contains(run.Id, StringComparison.OrdinalIgnoreCase));
        using var archive = await ZipFile.OpenReadAsync(zip, limit);
        Assert.Equal(
            ["appspec.yml", "build/libs/seed-backend-1.0.0.jar", "scripts/start.sh", "scripts/stop.sh"],
            archive.Entries.Select(e => e.FullName).Where(name => !name.EndsWith('/')).Order(StringComparer.Ordinal).ToArray());
    }

    private static string SeedDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "../../../examples/seed"));
}
