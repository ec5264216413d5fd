using System.Text;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Scenarios;

/// <summary>
/// CodeBuild's batch rules as data, on the embedded farm (SQLite, in-memory bus, two slots): every file in Batches/ is
/// a buildspec with a <c>batch</c> section that must end, member by member, as its header says.
/// </summary>
[Collection(EmbeddedFarmCollection.Name)]
public sealed class BatchScenarioTests(EmbeddedFarmFixture farm)
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Scenarios", "Batches");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.yml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task The_batch_ends_as_its_header_says(string file)
    {
        var scenario = BatchScenarioFile.Load(Path.Combine(Directory, file));
        var limit = Wait.Up(TimeSpan.FromSeconds(90));
        await farm.Client.ApplyPipelineAsync(scenario.Name, scenario.Definition, file, limit);

        var run = await farm.Client.TriggerRunAsync(scenario.Name, cancellationToken: limit);
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), limit);
        var jobs = final.Jobs.ToDictionary(j => j.Identifier);
        var logs = new Dictionary<string, string>();
        foreach (var identifier in jobs.Keys)
        {
            logs[identifier] = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, identifier, limit));
        }
        var story = string.Join("\n", final.Jobs.Select(j => $"{j.Identifier}: {j.Status} ({j.Reason}) {j.StartedAt}–{j.FinishedAt}\n{logs[j.Identifier]}"));

        Assert.True(final.Batch is not null, "the run is not a batch");
        Assert.True(scenario.Status == FromProto(final.Status), $"status {final.Status} ({final.Reason}), expected {scenario.Status}\n{story}");
        Assert.All(jobs.Values, j => Assert.Equal(j.Name, j.Identifier));
        foreach (var (_, count) in scenario.All("jobs"))
        {
            Assert.Equal(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), final.Jobs.Count);
        }
        foreach (var (_, reason) in scenario.All("run-reason"))
        {
            Assert.Equal(reason, final.Reason);
        }
        foreach (var (identifier, status) in scenario.All("build"))
        {
            Assert.True(jobs.ContainsKey(identifier), $"no build {identifier}\n{story}");
            Assert.True(status == FromProto(jobs[identifier].Status), $"build {identifier} is {jobs[identifier].Status}, expected {status}\n{story}");
        }
        foreach (var (identifier, reason) in scenario.All("reason"))
        {
            Assert.Equal(reason, jobs[identifier].Reason);
        }
        foreach (var (identifier, dependency) in scenario.All("after"))
        {
            var (started, finished) = (jobs[identifier].StartedAt.ToDateTimeOffset(), jobs[dependency].FinishedAt.ToDateTimeOffset());
            Assert.True(started >= finished, $"{identifier} started at {started:O}, before {dependency} finished at {finished:O}\n{story}");
        }
        foreach (var (identifier, text) in scenario.All("log"))
        {
            Assert.Contains(text, logs[identifier], StringComparison.Ordinal);
        }
        foreach (var (identifier, text) in scenario.All("no-log"))
        {
            Assert.DoesNotContain(text, logs[identifier], StringComparison.Ordinal);
        }
    }

    // The generated enum's names are the farm's status names (RUN_STATUS_ stripped).
    private static string FromProto(RunStatus status) => status.ToString();
}
