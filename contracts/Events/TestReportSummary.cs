namespace BuildFarm.Contracts.Events;

/// <summary>One buildspec report group's test results, summed over its files.</summary>
/// <param name="ReportGroup">The group's name in the buildspec's <c>reports</c> section.</param>
/// <param name="Files">How many report files were read.</param>
/// <param name="Total">Test cases in all.</param>
/// <param name="Passed">Cases with no failure, error or skip.</param>
/// <param name="Failed">Cases with a failure.</param>
/// <param name="Skipped">Cases skipped.</param>
/// <param name="Errored">Cases with an error (an unexpected exception rather than a failed assertion).</param>
/// <param name="DurationSeconds">The cases' times added up.</param>
public sealed record TestReportSummary(
    string ReportGroup,
    int Files,
    int Total,
    int Passed,
    int Failed,
    int Skipped,
    int Errored,
    double DurationSeconds);
