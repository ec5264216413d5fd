using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.UnitTests.Core.Definitions;

public class OnFailurePolicyTests
{
    [Theory]
    [InlineData("ABORT")]
    [InlineData("CONTINUE")]
    [InlineData("RETRY")]
    [InlineData("RETRY-3")]
    [InlineData("RETRY-timed out")]
    [InlineData("RETRY-3-timed out|connection reset")]
    [InlineData("RETRY-^Error: 50[0-9]$")]
    public void CodeBuild_on_failure_forms_are_accepted(string value) =>
        Assert.Null(OnFailurePolicy.Check(value));

    [Theory]
    [InlineData("")]
    [InlineData("abort")]
    [InlineData("RETRY-")]
    [InlineData("RETRY-3-")]
    [InlineData("RETRY-[")]
    [InlineData("FAIL")]
    [InlineData("RETRY3")]
    public void Anything_else_is_refused_with_a_reason(string value) =>
        Assert.False(string.IsNullOrEmpty(OnFailurePolicy.Check(value)));
}
