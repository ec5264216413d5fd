using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;
using static BuildFarm.EndToEndTests.Chaos.ChaosSteps;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// PostgreSQL crashes (immediate shutdown) under a running build and comes back on the same port: the
/// coordinator answers 503 meanwhile, stores nothing half-written, and recovers without a restart.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class DatabaseOutageChaosTests(ChaosFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_database_crash_mid_job_gets_503s_then_the_run_finishes_once_and_nothing_refused_was_stored()
    {
        var clock = Stopwatch.StartNew();
        using var scenario = new CancellationTokenSource(ChaosSettings.ScenarioTimeout);
        var ct = scenario.Token;
        // Its own server: crashing the shared one would fail every other test's queries.
        await using var postgres = await ThrowawayPostgres.StartAsync(ct);
        await using var farm = await Farm.CreateOnDatabaseAsync(fixture, "postgres-outage", ChaosSettings.RestartLeaseSeconds, postgres.ConnectionString, ct);
        var count = Path.Combine(farm.Directory, "count");
        farm.StartWorker("worker-1");
        await farm.StartCoordinatorAsync(ct);
        await farm.Client.PutPipelineAsync(Pipeline, Buildspec(ChaosSettings.BuildSleepSeconds), ct);
        var run = await farm.Client.TriggerAsync(Pipeline, new Dictionary<string, string> { ["COUNT"] = count }, ct);
        await WaitForLinesAsync(count, 1, farm, ct);

        await postgres.CrashAsync(ct);
        var crashedAt = clock.Elapsed;
        var ready = await WaitForStatusAsync(farm, "readyz", HttpStatusCode.ServiceUnavailable, postgres, ct);
        var read = await farm.Client.GetRawAsync($"api/runs/{run}", ct);
        var refused = await farm.Client.TriggerRawAsync(Pipeline, "during-the-outage", ct);
        // The build goes on meanwhile: it finishes, and its result waits in the queue for the database.
        await Task.Delay(ChaosSettings.DatabaseOutage, ct);
        await postgres.RestartAsync(ct);
        var restartedAt = clock.Elapsed;

        await WaitForStatusAsync(farm, "readyz", HttpStatusCode.OK, postgres, ct);
        var final = await farm.Client.WaitForRunAsync(run, r => r.IsFinal, ChaosSettings.RunFinishTimeout, () => farm.Describe() + postgres.Describe(), ct);
        var finishedAt = clock.Elapsed;
        var log = await farm.Client.GetLogAsync(run, ct);
        var context = $"{final}\n{log}\n{farm.Describe()}{postgres.Describe()}";

        Assert.True(read.Status == HttpStatusCode.ServiceUnavailable && read.MediaType == "application/problem+json", $"GET during the outage: {read}");
        Assert.True(refused.Status == HttpStatusCode.ServiceUnavailable, $"trigger during the outage: {refused}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.True(final is { Status: "Succeeded", Job: { Status: "Succeeded", Attempt: 1, WorkerId: "worker-1", ExitCode: 0, Reason: null } }, context);
        Assert.Equal(["started attempt 1"], await File.ReadAllLinesAsync(count, ct));
        AssertInOrder(log, "attempt 1 is running\n", "attempt 1 is done\n", "[buildfarm] Job SUCCEEDED\n");
        Assert.EndsWith("[buildfarm] Job SUCCEEDED\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain("lost", log, StringComparison.Ordinal);

        // The refused trigger left nothing behind: its key is free, and the same request now makes a new run.
        var again = await farm.Client.TriggerRawAsync(Pipeline, "during-the-outage", ct);
        Assert.True(again.Status == HttpStatusCode.Created, $"trigger after the outage: {again}");
        var runs = await farm.Client.GetRawAsync($"api/runs?pipeline={Pipeline}", ct);
        Assert.Equal(2, CountRuns(runs.Body));

        output.WriteLine($"scenario took {clock.Elapsed.TotalSeconds:F1} s (database crashed at {crashedAt.TotalSeconds:F1} s, " +
            $"back at {restartedAt.TotalSeconds:F1} s, run final at {finishedAt.TotalSeconds:F1} s)");
    }

    private static async Task<(HttpStatusCode Status, string? MediaType, string Body)> WaitForStatusAsync(
        Farm farm, string path, HttpStatusCode wanted, ThrowawayPostgres postgres, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var answer = await farm.Client.GetRawAsync(path, cancellationToken);
            if (answer.Status == wanted)
            {
                return answer;
            }

            if (waited.Elapsed > ChaosSettings.JobStartTimeout)
            {
                throw new TimeoutException($"/{path} did not answer {(int)wanted} within {ChaosSettings.JobStartTimeout}; last: {answer}\n{farm.Describe()}{postgres.Describe()}");
            }

            await Task.Delay(ChaosSettings.PollInterval, cancellationToken);
        }
    }

    private static int CountRuns(string listJson)
    {
        using var document = System.Text.Json.JsonDocument.Parse(listJson);
        return document.RootElement.GetProperty("runs").GetArrayLength();
    }
}
