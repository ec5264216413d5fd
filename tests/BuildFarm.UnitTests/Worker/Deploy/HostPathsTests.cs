using BuildFarm.Worker.Deploy;

namespace BuildFarm.UnitTests.Worker.Deploy;

public class HostPathsTests
{
    [Theory]
    [InlineData("/tmp/host1", "/opt/app", "/tmp/host1/opt/app")]
    [InlineData("/tmp/host1/", "/opt/app/", "/tmp/host1/opt/app")]
    [InlineData("/tmp/host1", "/", "/tmp/host1")]
    [InlineData("/tmp/host1", "/../../etc/passwd", "/tmp/host1/etc/passwd")]
    [InlineData(null, "/opt/app", "/opt/app")]
    [InlineData("/", "/opt//app", "/opt/app")]
    public void Absolute_destinations_land_under_the_root(string? root, string path, string expected)
    {
        var paths = new HostPaths(root);

        Assert.Equal(expected, paths.Map(path));
    }

    [Fact]
    public void Messages_show_the_appspec_path_not_the_prefixed_one() =>
        Assert.Equal("/opt/app/x.jar", new HostPaths("/tmp/host1").Unmap(new HostPaths("/tmp/host1").Map("/opt/app/x.jar")));

    [Fact]
    public void A_relative_path_is_refused() =>
        Assert.Throws<ArgumentException>(() => new HostPaths("/tmp/h").Map("opt/app"));
}
