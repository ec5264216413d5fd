using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BuildFarm.IntegrationTests.Runs;

namespace BuildFarm.IntegrationTests.Scenarios;

/// <summary>buildspec reports: JUnit XML read after the build, counted per report group, stored on the run.</summary>
[Collection(EmbeddedFarmCollection.Name)]
public sealed class TestReportTests(EmbeddedFarmFixture farm)
{
    private const string Definition = """
        version: 0.2
        phases:
          build:
            commands:
              - mkdir -p backend/build/test-results/unit backend/build/test-results/slow
              - |
                cat > backend/build/test-results/unit/TEST-Calc.xml <<'XML'
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite name="Calc" tests="4" failures="1" errors="1" skipped="1" time="0.5">
                  <testcase name="adds" classname="Calc" time="0.25"/>
                  <testcase name="divides" classname="Calc" time="0.125"><failure message="expected 2">trace</failure></testcase>
                  <testcase name="parses" classname="Calc" time="0.125"><error message="boom">trace</error><system-out>noise</system-out></testcase>
                  <testcase name="later" classname="Calc"><skipped/></testcase>
                </testsuite>
                XML
              - |
                cat > backend/build/test-results/slow/TEST-Io.xml <<'XML'
                <testsuites><testsuite name="Io"><testcase name="reads" time="1.5"/><testcase name="writes" time="0.5"/></testsuite></testsuites>
                XML
              - echo 'not xml' > backend/build/test-results/slow/TEST-Broken.xml
        reports:
          unit-tests:
            files:
              - '**/TEST-*.xml'
            base-directory: backend/build/test-results
            discard-paths: yes
          features:
            files:
              - 'cucumber.json'
            file-format: CUCUMBERJSON
        """;

    [Fact]
    public async Task JUnit_counts_per_report_group_are_stored_on_the_run_and_shown_in_the_log()
    {
        var limit = Wait.Up(TimeSpan.FromSeconds(60));
        await farm.Client.ApplyPipelineAsync("test-reports", Definition, "buildspec.yml", limit);
        var run = await farm.Client.TriggerRunAsync("test-reports", cancellationToken: limit);
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), limit);
        var log = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, limit));

        Assert.True(final.Status == Protos.V1.RunStatus.Succeeded, log);
        var report = Assert.Single(final.Jobs[0].Reports);
        Assert.Equal(
            ("unit-tests", 2, 6, 3, 1, 1, 1, 2.5),
            (report.ReportGroup, report.Files, report.Total, report.Passed, report.Failed, report.Skipped, report.Errored, report.DurationSeconds));
        Assert.Contains("reports: group unit-tests: 6 tests: 3 passed, 1 failed, 1 skipped, 1 errored (2.5 s) from 2 files", log, StringComparison.Ordinal);
        Assert.Contains("TEST-Broken.xml skipped", log, StringComparison.Ordinal);
        Assert.Contains("reports: group features: file-format CUCUMBERJSON is not supported (only JUNITXML); skipped", log, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = farm.HttpUrl };
        using var body = await http.GetFromJsonAsync<JsonDocument>($"/api/runs/{run.Id}/reports", limit);
        var row = Assert.Single(body!.RootElement.EnumerateArray());
        Assert.Equal("unit-tests", row.GetProperty("reportGroup").GetString());
        Assert.Equal((6, 3, 1, 1, 1), (row.GetProperty("total").GetInt32(), row.GetProperty("passed").GetInt32(), row.GetProperty("failed").GetInt32(), row.GetProperty("skipped").GetInt32(), row.GetProperty("errored").GetInt32()));
    }
}
