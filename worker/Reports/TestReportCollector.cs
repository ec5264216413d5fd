using System.Globalization;
using System.Xml;
using BuildFarm.Contracts.Events;
using BuildFarm.Core.Definitions;
using BuildFarm.Worker.Artifacts;

namespace BuildFarm.Worker.Reports;

/// <summary>
/// The buildspec's <c>reports</c> section after the build: each group's files found with the
/// artifact globs below its base directory, read as JUnit XML, and summed. Only JUNITXML (CodeBuild's
/// default) is read; other formats are skipped with a warning rather than failing the build, and so
/// is a file that is not JUnit. A report never fails the build, as in CodeBuild.
/// </summary>
public static class TestReportCollector
{
    private const string JUnitXml = "JUNITXML";

    public static async Task<IReadOnlyList<TestReportSummary>> CollectAsync(
        IReadOnlyList<BuildSpecReportGroup> groups, string sourceDirectory, Action<string> log, CancellationToken cancellationToken)
    {
        var summaries = new List<TestReportSummary>();
        foreach (var group in groups)
        {
            var format = group.FileFormat ?? JUnitXml;
            if (!string.Equals(format, JUnitXml, StringComparison.OrdinalIgnoreCase))
            {
                log($"reports: group {group.Name}: file-format {format} is not supported (only {JUnitXml}); skipped");
                continue;
            }

            var files = Find(group, sourceDirectory, log);
            var counts = new JUnitCounts();
            var read = 0;
            foreach (var file in files)
            {
                try
                {
                    await using var content = File.OpenRead(file.FullName);
                    counts.Add(await JUnitReportReader.ReadAsync(content, cancellationToken));
                    read++;
                }
                catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
                {
                    log($"reports: group {group.Name}: {file.Name} skipped: {ex.Message}");
                }
            }

            var summary = new TestReportSummary(group.Name, read, counts.Total, counts.Passed, counts.Failed, counts.Skipped, counts.Errored, Math.Round(counts.DurationSeconds, 3));
            summaries.Add(summary);
            log(string.Create(
                CultureInfo.InvariantCulture,
                $"reports: group {group.Name}: {summary.Total} tests: {summary.Passed} passed, {summary.Failed} failed, {summary.Skipped} skipped, {summary.Errored} errored ({summary.DurationSeconds:0.###} s) from {read} file{(read == 1 ? "" : "s")}"));
        }

        return summaries;
    }

    private static List<FileInfo> Find(BuildSpecReportGroup group, string sourceDirectory, Action<string> log)
    {
        var baseDirectory = new DirectoryInfo(Path.GetFullPath(Path.Combine(sourceDirectory, group.BaseDirectory ?? ".")));
        var patterns = new List<GlobPattern>();
        foreach (var raw in group.Files)
        {
            if (GlobPattern.TryParse(raw, out var pattern, out var error))
            {
                patterns.Add(pattern);
            }
            else
            {
                log($"reports: group {group.Name}: {error}");
            }
        }

        if (!baseDirectory.Exists || patterns.Count == 0)
        {
            return [];
        }

        try
        {
            // discard-paths only changes names in CodeBuild's report; counting needs the files alone.
            return new ArtifactTreeWalker(patterns, [], keepSymlinks: false)
                .Walk(baseDirectory, CancellationToken.None)
                .Select(f => f.Content)
                .OfType<FileInfo>()
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log($"reports: group {group.Name}: cannot read {baseDirectory.FullName}: {ex.Message}");
            return [];
        }
    }
}
