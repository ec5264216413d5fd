using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Import;

namespace BuildFarm.UnitTests.Core.Import;

/// <summary>The sample <c>aws codepipeline get-pipeline</c> output maps to the pipeline file checked in beside it.</summary>
public sealed class CodePipelineImporterTests
{
    private static readonly string Examples = Path.Combine(RepositoryRoot.Path, "examples", "pipeline");

    [Fact]
    public void The_sample_maps_to_the_expected_pipeline_file()
    {
        var result = CodePipelineImporter.Import(File.ReadAllText(Path.Combine(Examples, "codepipeline-get-pipeline.json")));

        Assert.Equal("corea-backend", result.Name);
        Assert.Equal(File.ReadAllText(Path.Combine(Examples, "codepipeline-imported.yml")), result.Yaml);
    }

    [Fact]
    public void What_cannot_be_mapped_is_named_in_the_warnings()
    {
        var result = CodePipelineImporter.Import(File.ReadAllText(Path.Combine(Examples, "codepipeline-get-pipeline.json")), "renamed");

        Assert.Equal("renamed", result.Name);
        Assert.Collection(result.Warnings,
            w => Assert.Contains("action Source: credentials are not imported; store a token that can read acme/corea as the secret 'git/corea'", w, StringComparison.Ordinal),
            w => Assert.Contains("environment variable SONAR_TOKEN comes from PARAMETER_STORE", w, StringComparison.Ordinal),
            w => Assert.Contains("action PublishDocs: Deploy/AWS/S3 cannot be mapped", w, StringComparison.Ordinal),
            w => Assert.Contains("the SNS topic arn:aws:sns:eu-west-1:123456789012:corea-approvals is not imported", w, StringComparison.Ordinal),
            w => Assert.Contains("action SmokeTest: Invoke/AWS/Lambda cannot be mapped", w, StringComparison.Ordinal));
    }

    [Fact]
    public void The_imported_triggers_read_back_without_errors()
    {
        var result = CodePipelineImporter.Import(File.ReadAllText(Path.Combine(Examples, "codepipeline-get-pipeline.json")));

        var edges = PipelineEdgesParser.Parse(result.Yaml, "pipeline.yml");

        Assert.Empty(edges.Diagnostics);
        Assert.Equal(2, edges.Triggers!.GitHub!.Push.Count);
        Assert.Equal(["v*"], edges.Triggers.GitHub.Push[1].Tags!.Include);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("""{"name": "x"}""", "an object with a 'pipeline' object")]
    [InlineData("""{"pipeline": {"name": "x"}}""", "'pipeline.stages' is missing")]
    public void Input_that_is_not_get_pipeline_output_is_refused_with_the_reason(string json, string reason) =>
        Assert.Contains(reason, Assert.Throws<CodePipelineImportException>(() => CodePipelineImporter.Import(json)).Message, StringComparison.Ordinal);
}
