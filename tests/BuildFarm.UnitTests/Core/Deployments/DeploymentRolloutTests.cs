using BuildFarm.Core.Deployments;

namespace BuildFarm.UnitTests.Core.Deployments;

/// <summary>
/// CodeDeploy's healthy-hosts arithmetic, played out: each instance outcome is fed back as an agent would
/// report it, and the test records how many ran at once and how the deployment ended.
/// </summary>
public class DeploymentRolloutTests
{
    [Theory]
    [InlineData("OneAtATime", 3, "", 1, true)]
    [InlineData("OneAtATime", 3, "F", 1, false)]
    [InlineData("OneAtATime", 3, "SF", 1, false)]
    [InlineData("OneAtATime", 3, "SSF", 1, true)]
    [InlineData("OneAtATime", 1, "F", 1, false)]
    [InlineData("OneAtATime", 1, "", 1, true)]
    [InlineData("HalfAtATime", 4, "", 2, true)]
    [InlineData("HalfAtATime", 5, "", 2, true)]
    [InlineData("HalfAtATime", 4, "SSFF", 2, true)]
    [InlineData("HalfAtATime", 4, "FFSS", 2, false)]
    [InlineData("HalfAtATime", 5, "SSFFS", 2, false)]
    [InlineData("HalfAtATime", 1, "", 1, true)]
    [InlineData("AllAtOnce", 3, "", 3, true)]
    [InlineData("AllAtOnce", 3, "FFS", 3, true)]
    [InlineData("AllAtOnce", 3, "FFF", 3, false)]
    [InlineData("HOST_COUNT:1", 3, "", 2, true)]
    [InlineData("HOST_COUNT:1", 3, "FSS", 2, true)]
    [InlineData("HOST_COUNT:2", 3, "SFS", 1, false)]
    [InlineData("FLEET_PERCENT:50", 3, "", 1, true)]
    [InlineData("FLEET_PERCENT:34", 3, "", 1, true)]
    [InlineData("FLEET_PERCENT:33", 3, "", 2, true)]
    [InlineData("0", 2, "FF", 2, false)]
    public void Rollout_runs_at_most_the_allowed_instances_at_once_and_ends_as_codedeploy_does(
        string configName, int instances, string outcomes, int expectedParallel, bool expectedSuccess)
    {
        Assert.True(DeploymentConfig.TryParse(configName, out var config, out var error), error);

        var (parallel, success) = Play(config, instances, outcomes);

        Assert.Equal((expectedParallel, expectedSuccess), (parallel, success));
    }

    [Theory]
    [InlineData("OneAtATime", 3, 2)]
    [InlineData("OneAtATime", 1, 0)]
    [InlineData("HalfAtATime", 9, 5)]
    [InlineData("AllAtOnce", 9, 0)]
    [InlineData("FLEET_PERCENT:95", 9, 9)]
    [InlineData("75%", 10, 8)]
    [InlineData("HOST_COUNT:4", 10, 4)]
    public void Percentages_round_up(string configName, int instances, int minimum)
    {
        Assert.True(DeploymentConfig.TryParse(configName, out var config, out _));

        Assert.Equal(minimum, config.MinimumHealthy(instances));
    }

    [Theory]
    [InlineData("HOST_COUNT:3", 3)]
    [InlineData("FLEET_PERCENT:95", 9)]
    public void A_custom_minimum_that_leaves_no_instance_to_take_offline_is_refused(string configName, int instances)
    {
        Assert.True(DeploymentConfig.TryParse(configName, out var config, out _));

        Assert.Contains("HEALTH_CONSTRAINTS_INVALID", DeploymentRollout.Refusal(config, instances), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CodeDeployDefault.AllAtOnce", "AllAtOnce")]
    [InlineData("", "OneAtATime")]
    [InlineData("FLEET_PERCENT:40", "FLEET_PERCENT:40")]
    public void Names_parse_with_or_without_the_codedeploy_prefix(string text, string name)
    {
        Assert.True(DeploymentConfig.TryParse(text, out var config, out _));
        Assert.Equal(name, config.Name);
    }

    [Theory]
    [InlineData("TwoAtATime")]
    [InlineData("FLEET_PERCENT:100")]
    [InlineData("-1")]
    public void Unknown_names_are_refused_with_the_choices(string text)
    {
        Assert.False(DeploymentConfig.TryParse(text, out _, out var error));
        Assert.Contains("OneAtATime", error, StringComparison.Ordinal);
    }

    /// <summary>Feeds outcomes (S/F, in start order; missing ones succeed) back one completion at a time, oldest first.</summary>
    private static (int MaxParallel, bool Success) Play(DeploymentConfig config, int instances, string outcomes)
    {
        var counts = new InstanceCounts(instances, 0, 0, 0);
        var running = new Queue<char>();
        var started = 0;
        var maxParallel = 0;
        for (var step = 0; step < 100; step++)
        {
            var decision = DeploymentRollout.Next(config, counts);
            if (decision.Outcome is { } outcome)
            {
                return (maxParallel, outcome);
            }
            for (var i = 0; i < decision.Start; i++)
            {
                running.Enqueue(started < outcomes.Length ? outcomes[started] : 'S');
                started++;
            }
            counts = counts with { Pending = counts.Pending - decision.Start, InProgress = counts.InProgress + decision.Start };
            maxParallel = Math.Max(maxParallel, counts.InProgress);
            if (decision.Start == 0)
            {
                var finished = running.Dequeue();
                counts = finished == 'S'
                    ? counts with { InProgress = counts.InProgress - 1, Succeeded = counts.Succeeded + 1 }
                    : counts with { InProgress = counts.InProgress - 1, Failed = counts.Failed + 1 };
            }
        }
        throw new InvalidOperationException("The rollout never ended.");
    }
}
