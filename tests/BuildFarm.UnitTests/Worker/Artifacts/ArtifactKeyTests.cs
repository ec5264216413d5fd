using BuildFarm.Storage.Artifacts;

namespace BuildFarm.UnitTests.Worker.Artifacts;

public sealed class ArtifactKeyTests
{
    private static readonly Guid RunId = Guid.Parse("0b5c3c1e-8a57-4e43-9d7e-0f8f2f1f6a10");

    [Theory]
    [InlineData(null, "web/0b5c3c1e-8a57-4e43-9d7e-0f8f2f1f6a10/primary.zip")]
    [InlineData("", "web/0b5c3c1e-8a57-4e43-9d7e-0f8f2f1f6a10/primary.zip")]
    [InlineData("site", "web/0b5c3c1e-8a57-4e43-9d7e-0f8f2f1f6a10/site.zip")]
    public void Keys_are_pipeline_run_and_artifact_name(string? name, string expected)
    {
        Assert.Equal(expected, ArtifactKey.For("web", RunId, name));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData(".hidden")]
    [InlineData("a/")]
    [InlineData("a//b")]
    public void A_name_that_makes_an_invalid_key_is_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => ArtifactKey.For("web", RunId, name));
    }

    [Theory]
    [InlineData("web/run/primary.zip", true)]
    [InlineData("a", true)]
    [InlineData("a b/c-d_e.f", true)]
    [InlineData("a/../b", false)]
    [InlineData("a/./b", false)]
    [InlineData("/a", false)]
    [InlineData("a/", false)]
    [InlineData("a\\b", false)]
    [InlineData("a\nb", false)]
    [InlineData("a/b.SHA256", false)]
    public void Validity(string key, bool valid)
    {
        Assert.Equal(valid, ArtifactKey.Problem(key) is null);
    }
}
