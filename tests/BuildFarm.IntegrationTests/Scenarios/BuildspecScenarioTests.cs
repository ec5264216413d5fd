using System.Text;
using BuildFarm.IntegrationTests.Runs;

namespace BuildFarm.IntegrationTests.Scenarios;

/// <summary>CodeBuild execution semantics as data: every file in Buildspecs/ runs and must end as its header says.</summary>
[Collection(EmbeddedFarmCollection.Name)]
public sealed class BuildspecScenarioTests(EmbeddedFarmFixture farm)
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Scenarios", "Buildspecs");

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
    public async Task The_buildspec_ends_as_its_header_says(string file)
    {
        var scenario = ScenarioFile.Load(Path.Combine(Directory, file));
        var limit = Wait.Up(TimeSpan.FromSeconds(60));
        await farm.Client.ApplyPipelineAsync(scenario.Name, scenario.Definition, file, limit);

        var run = await farm.Client.TriggerRunAsync(scenario.Name, cancellationToken: limit);
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), limit);
        var log = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, limit));

        Assert.True(scenario.Status == final.Status.ToString(), $"status {final.Status} ({final.Reason}), expected {scenario.Status}\n{log}");
        if (scenario.Exit is { } exit)
        {
            Assert.Equal(exit, final.Jobs[0].ExitCode);
        }

        foreach (var (name, (status, phaseExit)) in scenario.Phases)
        {
            var phase = final.Jobs[0].Phases.SingleOrDefault(p => p.Name == name);
            Assert.True(phase is not null, $"phase {name} was not reported\n{log}");
            Assert.Equal((status, phaseExit ?? phase.ExitCode), (phase.Status, phase.ExitCode));
        }

        Assert.All(scenario.LogContains, text => Assert.Contains(text, log, StringComparison.Ordinal));
        Assert.All(scenario.LogExcludes, text => Assert.DoesNotContain(text, log, StringComparison.Ordinal));
    }
}
