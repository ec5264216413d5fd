using BuildFarm.Worker.Caching;

namespace BuildFarm.UnitTests.Worker.Caching;

public sealed class GradleCacheTests
{
    [Theory]
    [InlineData("caches/modules-2/files-2.1/org.apache/lib/1.0/abc/lib-1.0.jar", true)]
    [InlineData("caches/modules-2/metadata-2.36/descriptors/x/y.bin", true)]
    [InlineData("caches/jars-9/abc/buildSrc.jar", true)]
    [InlineData("wrapper/dists/gradle-8.5-bin/abc/gradle-8.5/lib/gradle-core.jar", true)]
    [InlineData("wrapper/dists/gradle-8.5-bin/abc/gradle-8.5-bin.zip.ok", true)]
    [InlineData("caches/modules-2/modules-2.lock", false)]
    [InlineData("wrapper/dists/gradle-8.5-bin/abc/gradle-8.5-bin.zip.lck", false)]
    [InlineData("caches/journal-1/file-access.bin", false)]
    [InlineData("caches/modules-2/journal-1/x.bin", false)]
    [InlineData("caches/modules-2/.tmp/part", false)]
    [InlineData("daemon/8.5/daemon-123.out.log", false)]
    [InlineData("caches/8.5/generated-gradle-jars/gradle-api.jar", false)]
    [InlineData("caches/jars-9/jars-9.lock", false)]
    [InlineData("native/x.so", false)]
    public void Only_what_matters_in_the_gradle_home_is_saved(string path, bool included)
    {
        Assert.Equal(included, GradleCache.Includes(path));
    }

    [Theory]
    [InlineData("caches/modules-2/files-2.1/g/a/1.0/h/a-1.0.jar", true)]
    [InlineData("caches/jars-9/abc/x.jar", true)]
    [InlineData("caches/modules-2/files-2.1/g/a/1.0/h/a-1.0.pom", false)]
    [InlineData("caches/modules-2/files-2.1/g/a/1.0/h/a-1.0.module", false)]
    [InlineData("caches/modules-2/metadata-2.36/descriptors/x.bin", false)]
    [InlineData("wrapper/dists/gradle-8.5-bin/abc/gradle-8.5/LICENSE", false)]
    public void Unread_dependency_files_may_be_dropped_but_not_distributions_or_metadata(string path, bool droppable)
    {
        Assert.Equal(droppable, GradleCache.MayDropWhenUnread(path));
    }
}
