using System.Diagnostics;
using System.Globalization;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>The build every chaos scenario runs, and the waits and checks they share.</summary>
internal static class ChaosSteps
{
    public const string Pipeline = "chaos";

    /// <summary>Appends a line to $COUNT (a run variable) first, so the test sees each execution as it starts.</summary>
    public static string Buildspec(int sleepSeconds) => string.Create(CultureInfo.InvariantCulture, $"""
        version: 0.2
        phases:
          build:
            commands:
              - echo "started attempt $CODEBUILD_BUILD_NUMBER" >> "$COUNT"
              - echo "attempt $CODEBUILD_BUILD_NUMBER is running"
              - sleep {sleepSeconds}
              - echo "attempt $CODEBUILD_BUILD_NUMBER is done"

        """);

    public static async Task WaitForLinesAsync(string path, int lines, Farm farm, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!File.Exists(path) || (await File.ReadAllLinesAsync(path, cancellationToken)).Length < lines)
        {
            if (waited.Elapsed > ChaosSettings.JobStartTimeout)
            {
                throw new TimeoutException($"{path} did not reach {lines} line(s) within {ChaosSettings.JobStartTimeout}.\n{farm.Describe()}");
            }

            await Task.Delay(ChaosSettings.PollInterval, cancellationToken);
        }
    }

    /// <summary>Each part occurs in <paramref name="log"/>, after the one before it.</summary>
    public static void AssertInOrder(string log, params string[] parts)
    {
        var from = 0;
        foreach (var part in parts)
        {
            var at = log.IndexOf(part, from, StringComparison.Ordinal);
            Assert.True(at >= 0, $"expected \"{part.TrimEnd()}\" after offset {from} of the log:\n{log}");
            from = at + part.Length;
        }
    }
}
