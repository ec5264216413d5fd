using System.IO.Compression;
using System.Runtime.Versioning;
using BuildFarm.Core.Definitions;
using BuildFarm.Worker.Artifacts;

namespace BuildFarm.UnitTests.Worker.Artifacts;

[SupportedOSPlatform("linux")]
public sealed class ArtifactPackagerTests : IDisposable
{
    private readonly ArtifactTree _tree = new();
    private readonly ArtifactPackager _packager = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public async Task Unix_permissions_are_kept_so_a_script_stays_executable_after_unzip()
    {
        _tree.File("backend/appspec.yml");
        _tree.File("backend/scripts/start.sh", ArtifactTree.Executable, "#!/bin/sh\necho started\n");
        var artifacts = new BuildSpecArtifacts(["appspec.yml", "scripts/**/*"]) { BaseDirectory = "backend" };

        using var package = await PackageAsync(artifacts);
        var extracted = Path.Combine(_tree.Root, "extracted");
        await ZipFile.ExtractToDirectoryAsync(package.ZipPath!, extracted, CancellationToken.None);

        var entries = ArtifactTree.Read(package.ZipPath!).ToDictionary(e => e.Name);
        Assert.True(entries["scripts/start.sh"].IsRegularFile);
        Assert.Equal(0x1ED, entries["scripts/start.sh"].Permissions);
        Assert.Equal(0x1A4, entries["appspec.yml"].Permissions);
        Assert.Equal(ArtifactTree.Executable, File.GetUnixFileMode(Path.Combine(extracted, "scripts/start.sh")));
        Assert.Equal("#!/bin/sh\necho started\n", await File.ReadAllTextAsync(Path.Combine(extracted, "scripts/start.sh")));
    }

    [Fact]
    public async Task With_enable_symlinks_a_link_is_stored_as_a_link_and_not_followed()
    {
        _tree.File("out/real.txt", content: "real");
        _tree.File("shared/lib.txt");
        _tree.Symlink("out/link.txt", "real.txt");
        _tree.Symlink("out/shared", "../shared");
        var artifacts = new BuildSpecArtifacts(["out/**/*"]) { EnableSymlinks = true };

        using var package = await PackageAsync(artifacts);

        var entries = ArtifactTree.Read(package.ZipPath!).ToDictionary(e => e.Name);
        Assert.Equal(["out/link.txt", "out/real.txt", "out/shared"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0xA1FF, entries["out/link.txt"].UnixMode);
        Assert.Equal("real.txt", entries["out/link.txt"].Content);
        Assert.True(entries["out/shared"].IsSymlink);
        Assert.Equal("../shared", entries["out/shared"].Content);
        Assert.True(entries["out/real.txt"].IsRegularFile);
    }

    [Fact]
    public async Task Without_enable_symlinks_links_are_followed_into_files_and_directories()
    {
        _tree.File("out/real.txt", content: "real");
        _tree.File("shared/lib.txt", ArtifactTree.Executable);
        _tree.Symlink("out/link.txt", "real.txt");
        _tree.Symlink("out/shared", "../shared");

        using var package = await PackageAsync(new BuildSpecArtifacts(["out/**/*"]));

        var entries = ArtifactTree.Read(package.ZipPath!).ToDictionary(e => e.Name);
        Assert.Equal(["out/link.txt", "out/real.txt", "out/shared/lib.txt"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("real", entries["out/link.txt"].Content);
        Assert.True(entries["out/link.txt"].IsRegularFile);
        Assert.Equal(0x1ED, entries["out/shared/lib.txt"].Permissions);
    }

    [Fact]
    public async Task A_dangling_symlink_is_skipped_with_a_warning()
    {
        _tree.File("out/a.txt");
        _tree.Symlink("out/gone.txt", "missing.txt");

        using var package = await PackageAsync(new BuildSpecArtifacts(["out/*"]));

        Assert.Equal(["out/a.txt"], package.Entries);
        Assert.Contains(package.Warnings, w => w.Contains("out/gone.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_symlink_back_to_an_ancestor_is_walked_once_not_forever()
    {
        _tree.File("out/a.txt");
        _tree.Symlink("out/loop", "..");
        _tree.Symlink("out/root", "/");

        using var package = await PackageAsync(new BuildSpecArtifacts(["**/*"]));

        Assert.Equal(["out/a.txt"], package.Entries);
        Assert.Contains(package.Warnings, w => w.Contains("out/loop", StringComparison.Ordinal));
        Assert.Contains(package.Warnings, w => w.Contains("out/root", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discard_paths_refuses_two_files_with_one_name_and_names_both()
    {
        _tree.File("a/config.json");
        _tree.File("b/config.json");

        using var package = await PackageAsync(new BuildSpecArtifacts(["**/config.json"]) { DiscardPaths = true });

        Assert.False(package.Succeeded);
        Assert.Contains("a/config.json", package.Error, StringComparison.Ordinal);
        Assert.Contains("b/config.json", package.Error, StringComparison.Ordinal);
        Assert.Null(package.ZipPath);
    }

    [Fact]
    public async Task No_matching_file_is_CodeBuilds_error_as_a_result_and_leaves_no_zip()
    {
        _tree.File("src/Main.java");

        using var package = await PackageAsync(new BuildSpecArtifacts(["build/libs/*.jar"]));

        Assert.False(package.Succeeded);
        Assert.Equal("no matching artifact paths found", package.Error);
        Assert.Equal(ArtifactPackager.NoMatchingPaths, package.Error);
        Assert.Null(package.ZipPath);
        Assert.Empty(Directory.Exists(_tree.Temp) ? Directory.GetFiles(_tree.Temp) : []);
    }

    [Fact]
    public async Task Everything_excluded_is_no_matching_paths()
    {
        _tree.File("app.log");

        using var package = await PackageAsync(new BuildSpecArtifacts(["*"]) { ExcludePaths = ["*.log"] });

        Assert.Equal(ArtifactPackager.NoMatchingPaths, package.Error);
    }

    [Fact]
    public async Task A_missing_base_directory_is_no_matching_paths_with_the_reason_as_a_warning()
    {
        _tree.File("appspec.yml");

        using var package = await PackageAsync(new BuildSpecArtifacts(["**/*"]) { BaseDirectory = "backend" });

        Assert.Equal(ArtifactPackager.NoMatchingPaths, package.Error);
        Assert.Contains(package.Warnings, w => w.Contains("backend", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../outside/*", null)]
    [InlineData("/etc/passwd", null)]
    [InlineData("*", "../..")]
    [InlineData("*", "/etc")]
    public async Task Paths_outside_the_source_directory_are_refused(string file, string? baseDirectory)
    {
        _tree.File("a.txt");

        using var package = await PackageAsync(new BuildSpecArtifacts([file]) { BaseDirectory = baseDirectory });

        Assert.False(package.Succeeded);
        Assert.Null(package.ZipPath);
    }

    [Fact]
    public async Task The_zip_is_written_under_the_temp_directory_and_disposing_the_package_deletes_it()
    {
        _tree.File("a.txt");

        var package = await PackageAsync(new BuildSpecArtifacts(["a.txt"]));
        var zipPath = package.ZipPath!;
        var lengthOnDisk = new FileInfo(zipPath).Length;
        package.Dispose();

        Assert.Equal(_tree.Temp, Path.GetDirectoryName(zipPath));
        Assert.Equal(lengthOnDisk, package.Length);
        Assert.False(File.Exists(zipPath));
    }

    [Fact]
    public async Task Files_stamped_before_1980_are_stored_with_the_earliest_zip_time()
    {
        var path = _tree.File("reproducible.txt");
        File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch);

        using var package = await PackageAsync(new BuildSpecArtifacts(["*"]));

        using var archive = await ZipFile.OpenReadAsync(package.ZipPath!, CancellationToken.None);
        Assert.Equal(1980, archive.Entries.Single().LastWriteTime.Year);
    }

    [Fact]
    public async Task A_large_file_round_trips_byte_for_byte()
    {
        var content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).NextBytes(content);
        await File.WriteAllBytesAsync(Path.Combine(_tree.Source, "big.bin"), content);

        using var package = await PackageAsync(new BuildSpecArtifacts(["big.bin"]));

        using var archive = await ZipFile.OpenReadAsync(package.ZipPath!, CancellationToken.None);
        await using var entry = await archive.Entries.Single().OpenAsync(CancellationToken.None);
        using var readBack = new MemoryStream();
        await entry.CopyToAsync(readBack);
        Assert.Equal(content, readBack.ToArray());
        Assert.Equal(new FileInfo(package.ZipPath!).Length, package.Length);
    }

    [Fact]
    public async Task Cancellation_stops_packaging_and_leaves_no_zip()
    {
        _tree.File("a.txt");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _packager.PackageAsync(_tree.Source, new BuildSpecArtifacts(["a.txt"]), _tree.Temp, cancelled.Token));

        Assert.Empty(Directory.Exists(_tree.Temp) ? Directory.GetFiles(_tree.Temp) : []);
    }

    private Task<ArtifactPackage> PackageAsync(BuildSpecArtifacts artifacts) =>
        _packager.PackageAsync(_tree.Source, artifacts, _tree.Temp, CancellationToken.None);
}
