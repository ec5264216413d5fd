using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.UnitTests.Core.Definitions;

public class BuildSpecParserModelTests
{
    private static BuildSpec ParseValid(string text)
    {
        var result = BuildSpecParser.Parse(text, "buildspec.yml");
        Assert.Empty(result.Diagnostics);
        return result.GetSpecOrThrow();
    }

    [Fact]
    public void Full_buildspec_fills_every_modelled_section()
    {
        var spec = ParseValid(SampleFiles.Read("full.buildspec.yml"));

        Assert.Equal("0.2", spec.Version);
        Assert.Equal("builder", spec.RunAs);
        Assert.Equal("bash", spec.Env.Shell);
        Assert.Equal("/ci/npm-token", spec.Env.ParameterStore["NPM_TOKEN"]);
        Assert.Equal("prod/db:password", spec.Env.SecretsManager["DB_PASSWORD"]);
        Assert.Equal(["IMAGE_TAG"], spec.Env.ExportedVariables);
        Assert.True(spec.Env.GitCredentialHelper);

        var artifacts = Assert.IsType<BuildSpecArtifacts>(spec.Artifacts);
        Assert.Equal(["dist/**/*"], artifacts.Files);
        Assert.Equal("web-$(date +%Y-%m-%d)", artifacts.Name);
        Assert.False(artifacts.DiscardPaths);
        Assert.Equal("out", artifacts.BaseDirectory);
        Assert.Equal(["**/*.map"], artifacts.ExcludePaths);
        Assert.True(artifacts.EnableSymlinks);
        Assert.Equal("builds", artifacts.S3Prefix);
        var docs = artifacts.SecondaryArtifacts["docs"];
        Assert.Equal(["docs/**/*"], docs.Files);
        Assert.Equal("docs", docs.Name);

        var cache = Assert.IsType<BuildSpecCache>(spec.Cache);
        Assert.Equal("npm-$(codebuild-hash-files package-lock.json)", cache.Key);
        Assert.Equal(["npm-"], cache.FallbackKeys);
        Assert.Equal(BuildSpecCacheAction.Restore, cache.Action);
        Assert.Equal(["node_modules/**/*"], cache.Paths);

        var report = Assert.Single(spec.Reports);
        Assert.Equal(("unit-tests", "build", true, "JUNITXML"), (report.Name, report.BaseDirectory, report.DiscardPaths, report.FileFormat));
        Assert.Equal(["reports/*.xml"], report.Files);
    }

    [Fact]
    public void Phases_come_out_in_the_order_CodeBuild_runs_them_whatever_the_file_order()
    {
        var spec = ParseValid(SampleFiles.Read("full.buildspec.yml"));

        Assert.Equal(BuildSpec.PhaseOrder, spec.Phases.Select(p => p.Name));
        var install = spec.Phases[0];
        Assert.Equal("root", install.RunAs);
        Assert.Equal(["npm ci"], install.Commands);
        Assert.Equal("3.11", install.RuntimeVersions["python"]);
        Assert.Equal("20", install.RuntimeVersions["nodejs"]);
        var build = spec.Phases[2];
        Assert.Equal("RETRY-2-timed out", build.OnFailure);
        Assert.Equal(["echo build done"], build.Finally);
        Assert.Equal("CONTINUE", spec.Phases[3].OnFailure);
        Assert.Equal(["./publish.sh"], spec.Phases[3].Commands);
    }

    [Fact]
    public void Commands_keep_plain_quoted_literal_and_folded_scalars_as_written()
    {
        var build = ParseValid(SampleFiles.Read("full.buildspec.yml")).Phases.Single(p => p.Name == "build");

        Assert.Equal(
            ["npm run build", "echo \"tag: $IMAGE_TAG\"", "tar czf dist.tgz \\\n  dist\n", "folded command\n"],
            build.Commands);
    }

    [Fact]
    public void Yaml_1_1_numbers_and_booleans_in_variables_stay_their_source_text()
    {
        var variables = ParseValid(SampleFiles.Read("full.buildspec.yml")).Env.Variables;

        Assert.Equal("3.11", variables["PYTHON_VERSION"]);
        Assert.Equal("yes", variables["DEPLOY"]);
        Assert.Equal("010", variables["RETRIES"]);
        Assert.Equal("", variables["EMPTY"]);
    }

    [Fact]
    public void Crlf_line_endings_without_a_trailing_newline_parse_like_lf()
    {
        const string text = "version: 0.2\r\nenv:\r\n  variables:\r\n    PY: 3.11\r\nphases:\r\n  build:\r\n    commands:\r\n      - |\r\n        make\r\n        make test";

        var spec = ParseValid(text);

        Assert.Equal("3.11", spec.Env.Variables["PY"]);
        Assert.Equal(["make\nmake test"], Assert.Single(spec.Phases).Commands);
    }

    [Fact]
    public void Crlf_file_reports_positions_by_line_not_by_carriage_return()
    {
        var result = BuildSpecParser.Parse("version: 0.2\r\nphases:\r\n  pre-build:\r\n    commands: [x]", "crlf.yml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((3, 3, "phases.pre-build"), (error.Line, error.Column, error.Field));
    }

    [Theory]
    [InlineData("version: 0.1", "0.1")]
    [InlineData("version: \"0.2\"", "0.2")]
    [InlineData("version: '0.2'   # quoted is the same text", "0.2")]
    public void Supported_versions_are_accepted_quoted_or_not(string versionLine, string expected)
    {
        var spec = ParseValid($"{versionLine}\nphases:\n  build:\n    commands: [make]\n");

        Assert.Equal(expected, spec.Version);
    }

    [Fact]
    public void Install_phase_that_only_selects_runtimes_is_valid()
    {
        var spec = ParseValid("version: 0.2\nphases:\n  install:\n    runtime-versions:\n      python: 3.12\n  build:\n    commands: [make]\n");

        Assert.Equal("3.12", spec.Phases[0].RuntimeVersions["python"]);
        Assert.Empty(spec.Phases[0].Commands);
    }

    [Fact]
    public void Phase_with_only_finally_is_valid()
    {
        var spec = ParseValid("version: 0.2\nphases:\n  post_build:\n    finally: [./cleanup.sh]\n");

        Assert.Equal(["./cleanup.sh"], Assert.Single(spec.Phases).Finally);
    }

    [Fact]
    public void Byte_order_mark_at_the_start_is_not_part_of_the_first_key()
    {
        var spec = ParseValid("\uFEFFversion: 0.2\nphases:\n  build:\n    commands: [make]\n");

        Assert.Equal("0.2", spec.Version);
    }

    [Fact]
    public void Aliases_reuse_an_anchored_command_list()
    {
        var spec = ParseValid("version: 0.2\nphases:\n  build:\n    commands: &steps [make, make test]\n  post_build:\n    commands: *steps\n");

        Assert.Equal(spec.Phases[0].Commands, spec.Phases[1].Commands);
    }

    [Fact]
    public void Sections_left_out_get_their_defaults()
    {
        var spec = ParseValid("version: 0.2\nphases:\n  build:\n    commands: [make]\n");

        Assert.Null(spec.Artifacts);
        Assert.Null(spec.Cache);
        Assert.Empty(spec.Reports);
        Assert.Null(spec.RunAs);
        Assert.Empty(spec.Env.Variables);
        Assert.False(spec.Env.GitCredentialHelper);
        Assert.Empty(spec.Phases[0].RuntimeVersions);
    }

    [Fact]
    public void Cache_without_action_restores_and_saves_and_exclude_paths_accepts_a_list()
    {
        var spec = ParseValid("version: 0.2\nphases: {build: {commands: [make]}}\nartifacts:\n  files: [out/*]\n  exclude-paths: [a, b]\ncache:\n  paths: [deps]\n");

        Assert.Equal(BuildSpecCacheAction.RestoreAndSave, spec.Cache!.Action);
        Assert.Equal(["a", "b"], spec.Artifacts!.ExcludePaths);
    }
}
