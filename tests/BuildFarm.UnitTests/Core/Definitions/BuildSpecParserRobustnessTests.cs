using System.Diagnostics;
using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.UnitTests.Core.Definitions;

/// <summary>Bad input of any kind comes back as diagnostics: Parse never throws and never runs away.</summary>
public class BuildSpecParserRobustnessTests
{
    [Fact]
    public void Every_truncation_of_a_valid_file_parses_without_throwing()
    {
        var full = SampleFiles.Read("full.buildspec.yml");

        for (var length = 0; length <= full.Length; length++)
        {
            var result = BuildSpecParser.Parse(full[..length], "cut.yml");

            Assert.Equal(result.HasErrors, result.Spec is null);
            Assert.All(result.Diagnostics, d => Assert.True(d.Line >= 1 && d.Column >= 1, d.ToString()));
        }
    }

    [Theory]
    [InlineData("a: [1, 2\nb: 3\n", 1)]
    [InlineData("a: 'unclosed\nb: 2\n", 1)]
    [InlineData("a: b: c\n", 1)]
    [InlineData("version: 0.2\nphases: {build: {commands: [make]\n", 3)]
    public void Invalid_yaml_is_one_error_at_the_reader_position(string text, int line)
    {
        var result = BuildSpecParser.Parse(text, "b.yml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(line, error.Line);
        Assert.StartsWith("Invalid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tab_indentation_is_reported_where_the_tab_is()
    {
        var result = BuildSpecParser.Parse("version: 0.2\nphases:\n  build:\n  \tcommands: [make]\n", "b.yml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((4, 3), (error.Line, error.Column));
        Assert.Contains("tab", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_flow_collections_stop_at_the_depth_limit_quickly()
    {
        var text = "version: 0.2\nphases: " + new string('[', 200_000);
        var clock = Stopwatch.StartNew();

        var result = BuildSpecParser.Parse(text, "deep.yml");

        Assert.Contains("nested deeper than", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Alias_expansion_bomb_is_refused()
    {
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 8; i++)
        {
            lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        var result = BuildSpecParser.Parse(string.Join('\n', lines), "bomb.yml");

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("Aliases expand to more than", StringComparison.Ordinal));
        Assert.Null(result.Spec);
    }

    [Fact]
    public void Alias_without_an_anchor_is_refused_where_it_is_used()
    {
        var result = BuildSpecParser.Parse("version: 0.2\nphases:\n  build:\n    commands: *missing\n", "b.yml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((4, 15, "phases.build.commands"), (error.Line, error.Column, error.Field));
        Assert.Contains("'*missing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Second_yaml_document_is_refused_at_its_separator()
    {
        var result = BuildSpecParser.Parse("version: 0.2\nphases: {build: {commands: [make]}}\n---\nversion: 0.1\n", "b.yml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((3, 1), (error.Line, error.Column));
        Assert.Contains("single YAML document", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_that_is_not_a_string_is_refused()
    {
        var result = BuildSpecParser.Parse("version: 0.2\nphases: {build: {commands: [make]}}\n? [a, b]\n: c\n", "b.yml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((3, 3), (error.Line, error.Column));
        Assert.Contains("key must be a string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_larger_than_the_limit_is_refused_without_reading_it()
    {
        var text = "version: 0.2\n#" + new string('x', BuildSpecParser.MaxLength);

        var error = Assert.Single(BuildSpecParser.Parse(text, "huge.yml").Diagnostics);

        Assert.Equal((1, 1, DefinitionSeverity.Error), (error.Line, error.Column, error.Severity));
        Assert.Contains("at most", error.Message, StringComparison.Ordinal);
    }
}
