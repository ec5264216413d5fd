using System.Text;
using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Definitions.Pipelines;

namespace BuildFarm.UnitTests.Core.Definitions;

/// <summary>
/// Pipeline files (stages → actions). Files under Samples/PipelineRefusals declare their diagnostics in leading
/// <c># expect: severity line:column field</c> comments, as the buildspec and appspec refusals do.
/// </summary>
public class PipelineFileParserTests
{
    private const string ExpectPrefix = "# expect: ";

    private const string Minimal = """
        version: 1
        stages:
          - name: Source
            actions:
              - name: Checkout
                category: source
                configuration: { repository: "file:///srv/git/app.git" }
                outputArtifacts: [Src]
          - name: Build
            actions:
              - name: Compile
                category: build
                inputArtifacts: [Src]
                outputArtifacts: [Bin]
              - name: Package
                category: build
                runOrder: 2
                inputArtifacts: [Bin, Src]
        """;

    public static TheoryData<string> RefusalSamples() => [.. SampleFiles.Under("PipelineRefusals")];

    [Theory]
    [MemberData(nameof(RefusalSamples))]
    public void Sample_gets_exactly_the_diagnostics_it_declares(string sample)
    {
        var text = SampleFiles.Read(sample);

        var result = PipelineFileParser.Parse(text, Path.GetFileName(sample));

        Assert.Equal(
            text.Split('\n').Where(l => l.StartsWith(ExpectPrefix, StringComparison.Ordinal)).Select(l => l[ExpectPrefix.Length..].TrimEnd('\r')),
            result.Diagnostics.Select(d => $"{(d.Severity == DefinitionSeverity.Error ? "error" : "warning")} {d.Line}:{d.Column} {(d.Field.Length == 0 ? "-" : d.Field)}"));
        Assert.All(result.Diagnostics, d => Assert.False(string.IsNullOrWhiteSpace(d.Message)));
        Assert.Null(result.Definition);
    }

    [Fact]
    public void Documented_example_reads_every_section()
    {
        var path = Path.Combine(RepositoryRoot.Path, "examples", "pipeline", "pipeline.yml");

        var result = PipelineFileParser.Parse(File.ReadAllText(path), "pipeline.yml");

        Assert.Empty(result.Diagnostics);
        var definition = result.GetDefinitionOrThrow();
        Assert.Equal(PipelineExecutionMode.Superseded, definition.ExecutionMode);
        Assert.Equal([new PipelineVariable("DEPLOY_ENV", "dev", "which environment the build configures")], definition.Variables);
        Assert.Equal(["Source", "Build", "Approve", "Deploy"], definition.Stages.Select(s => s.Name));
        var checkout = definition.Stages[0].Actions[0];
        Assert.Equal((PipelineActionCategory.Source, 1), (checkout.Category, checkout.RunOrder));
        Assert.Equal("https://github.com/acme/corea.git", checkout.Configuration[ActionConfigurationKeys.Repository]);
        Assert.Equal(("1", "false", "git/corea"), (checkout.Setting("cloneDepth", ""), checkout.Setting("submodules", ""), checkout.Setting("credentialsSecret", "")));
        Assert.Equal(["SourceArtifact"], checkout.OutputArtifacts);
        var build = definition.Stages[1];
        Assert.Equal([PipelineActionCategory.Build, PipelineActionCategory.Test], build.Actions.Select(a => a.Category));
        Assert.Equal([1], build.RunOrders);
        Assert.Equal("-Xmx1g", build.Actions[0].EnvironmentVariables["GRADLE_OPTS"]);
        Assert.Equal(("60", "buildspec.yml"), (build.Actions[0].Configuration["timeoutInMinutes"], build.Actions[0].Configuration["buildspec"]));
        Assert.Equal(["BuildArtifact"], build.Actions[0].OutputArtifacts);
        Assert.Equal("10080", definition.Stages[2].Actions[0].Configuration["timeoutMinutes"]);
        var deploy = definition.Stages[3].Actions[0];
        Assert.Equal((PipelineActionCategory.Deploy, "corea-backend", "dev"), (deploy.Category, deploy.Configuration["application"], deploy.Configuration["deploymentGroup"]));
        Assert.Equal(("Build", "Build"), (definition.Producer("BuildArtifact")!.Value.Stage.Name, definition.Producer("BuildArtifact")!.Value.Action.Name));
    }

    [Fact]
    public void Defaults_and_an_input_from_a_lower_run_order_of_the_same_stage()
    {
        var definition = PipelineFileParser.Parse(Minimal, "pipeline.yml").GetDefinitionOrThrow();

        Assert.Equal(PipelineExecutionMode.Superseded, definition.ExecutionMode);
        Assert.Empty(definition.Variables);
        Assert.Equal([1, 2], definition.Stages[1].RunOrders);
        Assert.Equal(["Bin", "Src"], definition.Stages[1].Actions[1].InputArtifacts);
        Assert.Equal(ActionConfigurationKeys.DefaultBranch, definition.Stages[0].Actions[0].Setting(ActionConfigurationKeys.Branch, ActionConfigurationKeys.DefaultBranch));
    }

    [Theory]
    [InlineData("QUEUED", PipelineExecutionMode.Queued)]
    [InlineData("PARALLEL", PipelineExecutionMode.Parallel)]
    [InlineData("SUPERSEDED", PipelineExecutionMode.Superseded)]
    public void Execution_mode_is_read(string written, PipelineExecutionMode mode) =>
        Assert.Equal(mode, PipelineFileParser.Parse($"executionMode: {written}\n{Minimal}", "p.yml").GetDefinitionOrThrow().ExecutionMode);

    [Fact]
    public void More_than_fifty_stages_or_actions_are_refused_at_the_first_one_too_many()
    {
        var text = new StringBuilder("version: 1\nstages:\n");
        for (var i = 0; i < 51; i++)
        {
            text.Append(CultureInvariant($"  - name: S{i}\n    actions:\n      - name: A\n        category: approval\n"));
        }
        var actions = new StringBuilder("version: 1\nstages:\n  - name: S\n    actions:\n");
        for (var i = 0; i < 51; i++)
        {
            actions.Append(CultureInvariant($"      - name: A{i}\n        category: approval\n"));
        }

        var stages = Assert.Single(PipelineFileParser.Parse(text.ToString(), "p.yml").Diagnostics);
        var tooManyActions = Assert.Single(PipelineFileParser.Parse(actions.ToString(), "p.yml").Diagnostics);

        Assert.Equal((3 + 50 * 4, 5, "stages"), (stages.Line, stages.Column, stages.Field));
        Assert.Equal((5 + 50 * 2, 9, "stages[0].actions"), (tooManyActions.Line, tooManyActions.Column, tooManyActions.Field));
    }

    [Fact]
    public void Triggers_and_notifications_sections_are_accepted()
    {
        var result = PipelineFileParser.Parse($"{Minimal}\ntriggers:\n  schedule: \"0 3 * * *\"\nnotifications:\n  - name: n\n    url: http://127.0.0.1:1/\n", "p.yml");

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
    }

    [Fact]
    public void Refusal_throws_with_every_error_located()
    {
        var result = PipelineFileParser.Parse("version: 1\nstages:\n  - name: A\n    actions:\n      - name: B\n        category: build\n", "ci/pipeline.yml");

        var error = Assert.Throws<DefinitionInvalidException>(() => result.GetDefinitionOrThrow());
        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal("ci/pipeline.yml:5:9: error: A build action takes 1 to 5 inputArtifacts (found 0). (stages[0].actions[0].inputArtifacts)", diagnostic.ToString());
    }

    [Theory]
    [InlineData("pipeline.yml", "", DefinitionFileKind.Pipeline)]
    [InlineData("ci/Pipeline.yaml", "version: 0.2\n", DefinitionFileKind.Pipeline)]
    [InlineData("deploy.pipeline.yml", "", DefinitionFileKind.Pipeline)]
    [InlineData("whatever.yml", "version: 1\nstages:\n  - name: A\n", DefinitionFileKind.Pipeline)]
    [InlineData("buildspec.yml", "stages: []\n", DefinitionFileKind.BuildSpec)]
    [InlineData("appspec.yml", "stages: []\n", DefinitionFileKind.AppSpec)]
    [InlineData("ci.yml", "version: 0.2\nphases:\n  build:\n    commands: [\"echo stages: x\"]\n", DefinitionFileKind.BuildSpec)]
    public void Pipeline_file_is_told_by_name_then_by_a_top_level_stages_key(string name, string text, DefinitionFileKind kind) =>
        Assert.Equal(kind, DefinitionFileKinds.Detect(name, text));

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
