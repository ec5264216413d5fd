using BuildFarm.Cli.Commands;

namespace BuildFarm.IntegrationTests.Cli;

/// <summary>`buildfarm pipeline import` needs no farm unless --apply: it reads, maps, and writes or prints.</summary>
public sealed class PipelineImportCommandTests
{
    private static readonly string Examples = Path.Combine(FindRepositoryRoot(), "examples", "pipeline");

    [Fact]
    public async Task Import_writes_the_pipeline_file_and_names_what_it_could_not_map_on_stderr()
    {
        var outFile = Path.Combine(Directory.CreateTempSubdirectory("bf-import-").FullName, "pipeline.yml");
        var (output, error) = (new StringWriter(), new StringWriter());

        var code = await PipelineImportCommand.ExecuteAsync(new CliContext(null, output, error, false, TimeProvider.System),
            Path.Combine(Examples, "codepipeline-get-pipeline.json"), null, outFile, apply: false, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Examples, "codepipeline-imported.yml")), await File.ReadAllTextAsync(outFile));
        Assert.Contains("pipeline corea-backend written to", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("buildfarm: warning: stage Deploy, action SmokeTest: Invoke/AWS/Lambda cannot be mapped", error.ToString(), StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(outFile)!, recursive: true);
    }

    [Fact]
    public async Task Import_of_a_file_that_is_not_get_pipeline_output_exits_1_with_the_reason()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{"stages": []}""");
        var error = new StringWriter();

        var code = await PipelineImportCommand.ExecuteAsync(new CliContext(null, new StringWriter(), error, false, TimeProvider.System),
            file, null, null, apply: false, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains("an object with a 'pipeline' object", error.ToString(), StringComparison.Ordinal);
        File.Delete(file);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BuildFarm.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("BuildFarm.sln not found above " + AppContext.BaseDirectory);
    }
}
