using BuildFarm.Worker.Jobs;

namespace BuildFarm.UnitTests.Worker.Jobs;

public sealed class OnFailurePolicyTests
{
    [Theory]
    [InlineData(null, OnFailureAction.Default, 0, null)]
    [InlineData("ABORT", OnFailureAction.Abort, 0, null)]
    [InlineData("CONTINUE", OnFailureAction.Continue, 0, null)]
    [InlineData("RETRY", OnFailureAction.Retry, 3, null)]
    [InlineData("RETRY-5", OnFailureAction.Retry, 5, null)]
    [InlineData("RETRY-timed out", OnFailureAction.Retry, 3, "timed out")]
    [InlineData("RETRY-2-connection reset|503", OnFailureAction.Retry, 2, "connection reset|503")]
    [InlineData("RETRY-2-4xx-error", OnFailureAction.Retry, 2, "4xx-error")]
    public void Reads_every_codebuild_form(string? text, OnFailureAction action, int retries, string? pattern)
    {
        var policy = OnFailurePolicy.Parse(text);

        Assert.Equal((action, retries, pattern), (policy.Action, policy.MaxRetries, policy.OutputPattern?.ToString()));
    }

    [Fact]
    public void Retries_only_while_the_count_lasts_and_the_output_matches()
    {
        var policy = OnFailurePolicy.Parse("RETRY-2-connection reset");

        Assert.True(policy.ShouldRetry(0, "npm ERR! connection reset by peer"));
        Assert.True(policy.ShouldRetry(1, "connection reset"));
        Assert.False(policy.ShouldRetry(2, "connection reset"));
        Assert.False(policy.ShouldRetry(0, "compilation error"));
    }

    [Fact]
    public void Abort_and_continue_never_retry() =>
        Assert.False(OnFailurePolicy.Parse("CONTINUE").ShouldRetry(0, "anything"));
}
