using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.UnitTests.Core.Definitions;

/// <summary>
/// Each file under Samples/Refusals states the diagnostics it must produce in its leading
/// <c># expect: severity line:column field</c> comments (<c>-</c> for the whole file), so a new case is a new file.
/// </summary>
public class BuildSpecParserRefusalTests
{
    private const string ExpectPrefix = "# expect: ";

    public static TheoryData<string> RefusalSamples() => [.. SampleFiles.Under("Refusals")];

    [Theory]
    [MemberData(nameof(RefusalSamples))]
    public void Sample_is_refused_with_exactly_the_diagnostics_it_declares(string sample)
    {
        var text = SampleFiles.Read(sample);

        var result = BuildSpecParser.Parse(text, Path.GetFileName(sample));

        Assert.Equal(ExpectedIn(text), result.Diagnostics.Select(d => $"{Severity(d)} {d.Line}:{d.Column} {Field(d)}"));
        Assert.All(result.Diagnostics, d => Assert.Equal(Path.GetFileName(sample), d.File));
        Assert.All(result.Diagnostics, d => Assert.False(string.IsNullOrWhiteSpace(d.Message)));
        Assert.Null(result.Spec);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public void Unknown_phase_name_suggests_the_real_one()
    {
        var error = SingleError("version: 0.2\nphases:\n  pre-build:\n    commands: [x]\n");

        Assert.Equal((3, 3, "phases.pre-build"), (error.Line, error.Column, error.Field));
        Assert.Contains("did you mean 'pre_build'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Github_actions_steps_are_named_as_such()
    {
        var error = SingleError("version: 0.2\nphases:\n  build:\n    steps:\n      - run: make\n");

        Assert.Equal((4, 5, "phases.build.steps"), (error.Line, error.Column, error.Field));
        Assert.Contains("GitHub Actions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unquoted_colon_in_a_command_is_explained()
    {
        var error = SingleError("version: 0.2\nphases:\n  build:\n    commands:\n      - echo tag: latest\n");

        Assert.Equal((5, 9, "phases.build.commands[0]"), (error.Line, error.Column, error.Field));
        Assert.Contains("Quote the value if it contains ': '", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Phase_written_as_a_list_is_told_to_use_commands()
    {
        var error = SingleError("version: 0.2\nphases:\n  build:\n    - make\n");

        Assert.Equal((4, 5, "phases.build"), (error.Line, error.Column, error.Field));
        Assert.Contains("under 'commands:'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_merge_conflict_marker_is_reported_on_its_own_line()
    {
        const string text = "version: 0.2\nphases:\n  build:\n    commands:\n<<<<<<< HEAD\n      - make\n=======\n      - make all\n>>>>>>> feature/x\n";

        var result = BuildSpecParser.Parse(text, "buildspec.yml");

        Assert.Equal([(5, 1), (7, 1), (9, 1)], result.Diagnostics.Select(d => (d.Line, d.Column)));
        Assert.All(result.Diagnostics, d => Assert.Equal(DefinitionSeverity.Error, d.Severity));
        Assert.All(result.Diagnostics, d => Assert.Contains("merge-conflict marker", d.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Equals_signs_that_are_not_exactly_a_marker_are_plain_yaml()
    {
        var result = BuildSpecParser.Parse("version: 0.2\nphases:\n  build:\n    commands:\n      - echo =======\n      - echo '<<<<<<<'\n", "b.yml");

        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n   \n")]
    [InlineData("---\n")]
    public void Empty_file_is_refused_at_line_1_column_1(string text)
    {
        var error = SingleError(text);

        Assert.Equal((1, 1, ""), (error.Line, error.Column, error.Field));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("just a string\n", "a string")]
    [InlineData("- version: 0.2\n", "a list")]
    public void Root_that_is_not_a_mapping_is_refused(string text, string found)
    {
        var error = SingleError(text);

        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains(found, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RETRY-", "needs a retry count or a regular expression")]
    [InlineData("abort", "must be upper case: 'ABORT'")]
    [InlineData("RETRY-2-(", "invalid regular expression")]
    [InlineData("STOP", "is not one of ABORT, CONTINUE, RETRY")]
    public void Invalid_on_failure_says_what_is_wrong(string value, string expected)
    {
        var error = SingleError($"version: 0.2\nphases:\n  build:\n    on-failure: {value}\n    commands: [make]\n");

        Assert.Equal((4, 17, "phases.build.on-failure"), (error.Line, error.Column, error.Field));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_phases_is_refused_at_the_start_of_the_file()
    {
        var error = SingleError("version: 0.2\nenv:\n  shell: bash\n");

        Assert.Equal((1, 1, "phases"), (error.Line, error.Column, error.Field));
    }

    [Fact]
    public void Refused_spec_throws_with_every_diagnostic_on_request()
    {
        var result = BuildSpecParser.Parse("version: 9\nphases:\n  pre-build:\n    commands: [x]\n", "b.yml");

        var thrown = Assert.Throws<DefinitionInvalidException>(result.GetSpecOrThrow);

        Assert.Equal(result.Diagnostics, thrown.Diagnostics);
        Assert.StartsWith("b.yml:1:10: error: Unsupported buildspec version '9'", thrown.Message, StringComparison.Ordinal);
        Assert.EndsWith("(and 1 more error(s))", thrown.Message, StringComparison.Ordinal);
    }

    private static DefinitionDiagnostic SingleError(string text)
    {
        var result = BuildSpecParser.Parse(text, "buildspec.yml");
        Assert.Null(result.Spec);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DefinitionSeverity.Error, error.Severity);
        return error;
    }

    private static IEnumerable<string> ExpectedIn(string text) =>
        text.Split('\n')
            .Where(line => line.StartsWith(ExpectPrefix, StringComparison.Ordinal))
            .Select(line => line[ExpectPrefix.Length..].TrimEnd('\r'));

    private static string Severity(DefinitionDiagnostic d) => d.Severity == DefinitionSeverity.Error ? "error" : "warning";

    private static string Field(DefinitionDiagnostic d) => d.Field.Length == 0 ? "-" : d.Field;
}
