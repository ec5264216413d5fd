using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.UnitTests.Core.Definitions;

/// <summary>
/// appspec.yml as CodeDeploy reads it. Files under Samples/AppSpecRefusals declare their diagnostics in leading
/// <c># expect: severity line:column field</c> comments, as the buildspec refusals do.
/// </summary>
public class AppSpecParserTests
{
    private const string ExpectPrefix = "# expect: ";

    public static TheoryData<string> RefusalSamples() => [.. SampleFiles.Under("AppSpecRefusals")];

    [Theory]
    [MemberData(nameof(RefusalSamples))]
    public void Sample_gets_exactly_the_diagnostics_it_declares(string sample)
    {
        var text = SampleFiles.Read(sample);

        var result = AppSpecParser.Parse(text, Path.GetFileName(sample));

        Assert.Equal(
            text.Split('\n').Where(l => l.StartsWith(ExpectPrefix, StringComparison.Ordinal)).Select(l => l[ExpectPrefix.Length..].TrimEnd('\r')),
            result.Diagnostics.Select(d => $"{(d.Severity == DefinitionSeverity.Error ? "error" : "warning")} {d.Line}:{d.Column} {(d.Field.Length == 0 ? "-" : d.Field)}"));
        Assert.All(result.Diagnostics, d => Assert.False(string.IsNullOrWhiteSpace(d.Message)));
        Assert.Null(result.Spec);
    }

    [Fact]
    public void Full_server_appspec_reads_every_section()
    {
        var spec = AppSpecParser.Parse(SampleFiles.Read("full.appspec.yml"), "appspec.yml").GetSpecOrThrow();

        Assert.Equal(("0.0", AppSpecPlatform.Server, "linux"), (spec.Version, spec.Platform, spec.Os));
        Assert.Equal(
            [new AppSpecFile("/build/libs", "/opt/app/libs"), new AppSpecFile("scripts/deploy.sh", "/opt/app/bin"), new AppSpecFile("/", "/srv/bundle")],
            spec.Files);
        Assert.Equal(["build/libs", "scripts/deploy.sh", ""], spec.Files.Select(f => f.NormalizedSource));
        Assert.Equal(AppSpecFileExistsBehavior.Overwrite, spec.FileExistsBehavior);
        var first = spec.Permissions[0];
        Assert.Equal(("/opt/app", "**", "nobody", "nogroup", "0750", AppSpecPermissionTypes.Directory), (first.Object, first.Pattern, first.Owner, first.Group, first.Mode, first.Types));
        Assert.Equal(["/opt/app/libs/secret.txt"], first.Except);
        Assert.Equal(("**", AppSpecPermissionTypes.Both, (string?)null), (spec.Permissions[1].Pattern, spec.Permissions[1].Types, spec.Permissions[1].Owner));
        Assert.Equal([new AppSpecHook("scripts/stop.sh", 60, null)], spec.HooksFor(AppSpecLifecycle.ApplicationStop));
        Assert.Equal([new AppSpecHook("scripts/before.sh", 3600, null)], spec.HooksFor(AppSpecLifecycle.BeforeInstall));
        Assert.Equal([new AppSpecHook("scripts/after-1.sh", 1800, "nobody"), new AppSpecHook("scripts/after-2.sh", 1800, null)], spec.HooksFor(AppSpecLifecycle.AfterInstall));
        Assert.Empty(spec.HooksFor(AppSpecLifecycle.Install));
        Assert.Null(spec.RefusalOn("linux"));
    }

    [Fact]
    public void Timeouts_may_add_up_to_exactly_an_hour()
    {
        var result = AppSpecParser.Parse("version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - location: a.sh\n      timeout: 1800\n    - location: b.sh\n      timeout: 1800\n", "appspec.yml");

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
    }

    [Fact]
    public void File_exists_behavior_defaults_to_disallow()
    {
        var spec = AppSpecParser.Parse("version: 0.0\nos: linux\n", "appspec.yml").GetSpecOrThrow();

        Assert.Equal(AppSpecFileExistsBehavior.Disallow, spec.FileExistsBehavior);
        Assert.Empty(spec.Files);
    }

    [Theory]
    [InlineData("ecs.appspec.yml", AppSpecPlatform.Ecs, "Amazon ECS")]
    [InlineData("lambda.appspec.yml", AppSpecPlatform.Lambda, "AWS Lambda")]
    [InlineData("windows.appspec.yml", AppSpecPlatform.Server, "os: windows")]
    public void Valid_appspec_the_farm_cannot_deploy_is_recognised_and_refused_with_a_reason(string sample, AppSpecPlatform platform, string reason)
    {
        var result = AppSpecParser.Parse(SampleFiles.Read(sample), sample);

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        Assert.Equal(platform, result.Spec!.Platform);
        Assert.Contains(reason, result.Spec.RefusalOn("linux"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_at_the_top_is_reported_at_its_position()
    {
        var result = AppSpecParser.Parse("- version: 0.0\n", "appspec.yml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((1, 1, "appspec.yml"), (error.Line, error.Column, error.File));
        Assert.Contains("a list", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("appspec.yml", "version: 0.2\nphases: {}\n", DefinitionFileKind.AppSpec)]
    [InlineData("deploy/appspec.yaml", "", DefinitionFileKind.AppSpec)]
    [InlineData("buildspec.yml", "version: 0.0\nos: linux\n", DefinitionFileKind.BuildSpec)]
    [InlineData("ci.yml", "version: 0.0\nos: linux\n", DefinitionFileKind.AppSpec)]
    [InlineData("ci.yml", "version: 0.0\nResources: []\n", DefinitionFileKind.AppSpec)]
    [InlineData("ci.yml", "version: 0.2\nphases:\n  build:\n    commands: [make]\n", DefinitionFileKind.BuildSpec)]
    public void Kind_is_told_by_name_then_content(string name, string text, DefinitionFileKind kind) =>
        Assert.Equal(kind, DefinitionFileKinds.Detect(name, text));
}
