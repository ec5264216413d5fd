using System.Net.Http.Json;
using System.Text.Json;
using BuildFarm.IntegrationTests.Runs;

namespace BuildFarm.IntegrationTests.Scenarios;

/// <summary>env.exported-variables: the values at the end of the build are recorded on the run for later stages.</summary>
[Collection(EmbeddedFarmCollection.Name)]
public sealed class ExportedVariablesTests(EmbeddedFarmFixture farm)
{
    private const string Definition = """
        version: 0.2
        env:
          variables:
            STAGE: test
            UNTOUCHED: "from the definition"
          exported-variables:
            - IMAGE_TAG
            - STAGE
            - UNTOUCHED
            - NEVER_SET
        phases:
          build:
            commands:
              - export IMAGE_TAG="v-$((40 + 1))"
          post_build:
            commands:
              - export IMAGE_TAG="$IMAGE_TAG-final" STAGE=prod
        """;

    [Fact]
    public async Task Values_at_the_end_of_the_build_are_shown_by_grpc_and_http()
    {
        var limit = Wait.Up(TimeSpan.FromSeconds(60));
        await farm.Client.ApplyPipelineAsync("exported-variables", Definition, "buildspec.yml", limit);
        var run = await farm.Client.TriggerRunAsync("exported-variables", cancellationToken: limit);
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), limit);

        var expected = new Dictionary<string, string>
        {
            ["IMAGE_TAG"] = "v-41-final",
            ["STAGE"] = "prod",
            ["UNTOUCHED"] = "from the definition",
        };
        Assert.Equal(expected, final.Jobs[0].ExportedVariables.ToDictionary());

        using var http = new HttpClient { BaseAddress = farm.HttpUrl };
        using var body = await http.GetFromJsonAsync<JsonDocument>($"/api/runs/{run.Id}", limit);
        var fromRun = body!.RootElement.GetProperty("exportedVariables").Deserialize<Dictionary<string, string>>();
        var fromJob = body.RootElement.GetProperty("jobs")[0].GetProperty("exportedVariables").Deserialize<Dictionary<string, string>>();
        Assert.Equal(expected, fromRun);
        Assert.Equal(expected, fromJob);
    }

    [Fact]
    public async Task Version_0_1_exports_the_definitions_values_because_no_command_changes_them()
    {
        var limit = Wait.Up(TimeSpan.FromSeconds(60));
        await farm.Client.ApplyPipelineAsync("exported-variables-0-1", Definition.Replace("version: 0.2", "version: 0.1", StringComparison.Ordinal), "buildspec.yml", limit);
        var run = await farm.Client.TriggerRunAsync("exported-variables-0-1", cancellationToken: limit);
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), limit);

        Assert.Equal(
            new Dictionary<string, string> { ["STAGE"] = "test", ["UNTOUCHED"] = "from the definition" },
            final.Jobs[0].ExportedVariables.ToDictionary());
    }
}
