using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.UnitTests.Core.Definitions;

public class BuildSpecParserDiagnosticsTests
{
    [Fact]
    public void Warnings_and_errors_come_back_together_in_file_order()
    {
        var result = BuildSpecParser.Parse(SampleFiles.Read("warnings-and-errors.buildspec.yml"), "w.yml");

        Assert.Equal(
            [
                (DefinitionSeverity.Warning, 2, 1, "description"),
                (DefinitionSeverity.Error, 4, 3, "phases.pre-build"),
                (DefinitionSeverity.Error, 10, 5, "phases.build.timeout"),
                (DefinitionSeverity.Warning, 11, 1, "notify"),
            ],
            result.Diagnostics.Select(d => (d.Severity, d.Line, d.Column, d.Field)));
        Assert.Null(result.Spec);
    }

    [Fact]
    public void Unknown_top_level_key_alone_is_a_warning_and_the_spec_is_kept()
    {
        var result = BuildSpecParser.Parse("version: 0.2\nPhases:\n  build: {}\nphases:\n  build:\n    commands: [make]\n", "b.yml");

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((DefinitionSeverity.Warning, 2, 1, "Phases"), (warning.Severity, warning.Line, warning.Column, warning.Field));
        Assert.Contains("did you mean 'phases'", warning.Message, StringComparison.Ordinal);
        Assert.False(result.HasErrors);
        Assert.Equal("build", Assert.Single(result.GetSpecOrThrow().Phases).Name);
    }

    [Fact]
    public void Unknown_key_inside_a_known_section_is_an_error_with_a_suggestion()
    {
        var result = BuildSpecParser.Parse("version: 0.2\nphases:\n  build:\n    commands: [make]\ncache:\n  paths: [x]\n  fallback_keys: [a]\n", "b.yml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DefinitionSeverity.Error, 7, 3, "cache.fallback_keys"), (error.Severity, error.Line, error.Column, error.Field));
        Assert.Contains("did you mean 'fallback-keys'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unrelated_unknown_key_lists_what_the_section_accepts()
    {
        var result = BuildSpecParser.Parse("version: 0.2\nphases:\n  build:\n    commands: [make]\nproxy:\n  telemetry: yes\n", "b.yml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("proxy.telemetry", error.Field);
        Assert.Contains("expected one of: upload-artifacts, logs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_in_a_file_is_reported_in_one_pass()
    {
        const string text = """
            phases:
              build:
                commands: make
            artifacts:
              name: x
            cache:
              paths: [a]
              fallback-keys: [1, 2, 3, 4, 5, 6]
            """;

        var result = BuildSpecParser.Parse(text, "b.yml");

        Assert.Equal(
            ["version", "phases.build.commands", "artifacts.files", "cache.fallback-keys"],
            result.Diagnostics.Select(d => d.Field));
    }

    [Fact]
    public void Diagnostic_prints_as_file_line_column_severity_message_and_field()
    {
        var diagnostic = new DefinitionDiagnostic("b.yml", 3, 5, "phases.build", DefinitionSeverity.Warning, "Odd.");
        var fileWide = diagnostic with { Field = "", Severity = DefinitionSeverity.Error };

        Assert.Equal("b.yml:3:5: warning: Odd. (phases.build)", diagnostic.ToString());
        Assert.Equal("b.yml:3:5: error: Odd.", fileWide.ToString());
    }

    [Fact]
    public void Values_of_the_wrong_kind_in_yes_no_fields_are_refused()
    {
        var result = BuildSpecParser.Parse("version: 0.2\nphases: {build: {commands: [make]}}\nenv:\n  git-credential-helper: maybe\nartifacts:\n  files: [a]\n  discard-paths: [yes]\n", "b.yml");

        Assert.Equal(
            [(4, 26, "env.git-credential-helper"), (7, 18, "artifacts.discard-paths")],
            result.Diagnostics.Select(d => (d.Line, d.Column, d.Field)));
    }

    [Fact]
    public void Batch_tasks_are_checked_for_keys_identifiers_and_one_batch_type()
    {
        const string text = """
            version: 0.2
            phases: {build: {commands: [make]}}
            batch:
              fast-fail: true
              build-graph:
                - identifier: one
                  depend-on: []
                - buildspec: other.yml
              build-list:
                - identifier: a
                  depend-on: [one]
            """;

        var result = BuildSpecParser.Parse(text, "b.yml");

        Assert.Equal(
            [(8, 7, "batch.build-graph[1].identifier"), (9, 3, "batch.build-list"), (11, 7, "batch.build-list[0].depend-on")],
            result.Diagnostics.Select(d => (d.Line, d.Column, d.Field)));
    }
}
