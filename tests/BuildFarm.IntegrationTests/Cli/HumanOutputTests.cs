using BuildFarm.Cli.Output;
using BuildFarm.Protos.V1;
using Spectre.Console;
using Table = BuildFarm.Cli.Output.Table;

namespace BuildFarm.IntegrationTests.Cli;

/// <summary>The CLI's human output without a farm: relative times, status colours, and tables on and off a terminal.</summary>
public sealed class HumanOutputTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(2, "just now")]
    [InlineData(42, "42 s ago")]
    [InlineData(3 * 60 + 20, "3 min ago")]
    [InlineData(5 * 3600 + 59 * 60, "5 h ago")]
    [InlineData(2 * 86400 + 3600, "2 d ago")]
    public void Relative_time_names_the_largest_whole_unit(int secondsAgo, string expected) =>
        Assert.Equal(expected, RelativeTime.Format(Now.AddSeconds(-secondsAgo), Now));

    [Theory]
    [InlineData(RunStatus.Succeeded, "green")]
    [InlineData(RunStatus.Failed, "red")]
    [InlineData(RunStatus.Running, "yellow")]
    [InlineData(RunStatus.Queued, "yellow")]
    [InlineData(RunStatus.Waiting, "yellow")]
    [InlineData(RunStatus.Cancelled, "grey")]
    [InlineData(RunStatus.Superseded, "grey")]
    public void Statuses_get_their_colour(RunStatus status, string colour)
    {
        Assert.Equal(colour, StatusColour.Of(status).ToMarkup());
        Assert.Equal($"[{colour}]{StatusWord.Of(status)}[/]", StatusColour.Markup(status));
    }

    [Fact]
    public async Task A_table_written_to_a_captured_writer_is_plain_aligned_columns()
    {
        using var output = new StringWriter();
        await Table.WriteAsync(output, ["ID", "STATUS", "CREATED"], [["run-1", Cell.Of(RunStatus.Failed), "3 min ago"], ["run-22", Cell.Of(RunStatus.Succeeded), "just now"]]);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["ID      STATUS     CREATED", "run-1   Failed     3 min ago", "run-22  Succeeded  just now"], lines);
        Assert.DoesNotContain('\u001b', output.ToString());
    }

    [Fact]
    public void A_table_on_a_colour_terminal_draws_a_box_and_colours_the_status()
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });

        Table.Render(console, ["ID", "STATUS"], [["run-1", Cell.Of(RunStatus.Failed)], ["run-2", Cell.Of(RunStatus.Succeeded)]]);

        var text = output.ToString();
        Assert.Contains("╭", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[91mFailed", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[32mSucceeded", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markup_lines_to_a_captured_writer_keep_their_words_and_brackets()
    {
        using var output = new StringWriter();
        await new MarkupWriter(output).WriteLineAsync($"Status:   {StatusColour.Markup(RunStatus.Failed)}" + MarkupWriter.Escape(" ([build] exit 3)"));
        Assert.Equal("Status:   Failed ([build] exit 3)" + Environment.NewLine, output.ToString());
    }
    [Fact]
    public async Task A_batch_run_shows_its_kind_and_each_member_build_with_its_dependencies_and_reason()
    {
        var run = new Run { Id = "run-1", Pipeline = "p", PipelineVersion = 2, Status = RunStatus.Failed, Reason = "build 'a' failed", Batch = new BatchInfo { Kind = "build-graph", FastFail = true } };
        run.Jobs.Add(new Job { Name = "a", Identifier = "a", Status = RunStatus.Failed, Attempt = 1, IgnoreFailure = false });
        var b = new Job { Name = "b", Identifier = "b", Status = RunStatus.Cancelled, Attempt = 1, Reason = "stopped by fast-fail: build 'a' failed", IgnoreFailure = true };
        b.DependOn.Add("a");
        run.Jobs.Add(b);
        run.CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Now);
        using var details = new StringWriter();
        using var summary = new StringWriter();

        await RunDetails.WriteAsync(details, run, Now);
        var exit = await RunSummary.PrintAsync(run, summary);

        Assert.Contains("Batch:    build-graph, 2 builds, fast-fail", details.ToString(), StringComparison.Ordinal);
        Assert.Contains("Build a: Failed, attempt 1", details.ToString(), StringComparison.Ordinal);
        Assert.Contains("Build b: Cancelled, attempt 1, after a, ignore-failure (stopped by fast-fail: build 'a' failed)", details.ToString(), StringComparison.Ordinal);
        Assert.Contains("  build a: Failed", summary.ToString(), StringComparison.Ordinal);
        Assert.Contains("  build b: Cancelled (stopped by fast-fail: build 'a' failed)", summary.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, exit);
    }
}
