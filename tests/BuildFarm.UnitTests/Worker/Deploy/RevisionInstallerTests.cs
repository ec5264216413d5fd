using System.Runtime.Versioning;
using BuildFarm.Core.Definitions;
using BuildFarm.UnitTests.Worker.Processes;
using BuildFarm.Worker.Deploy;

namespace BuildFarm.UnitTests.Worker.Deploy;

[SupportedOSPlatform("linux")]
public sealed class RevisionInstallerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HostPaths _paths;
    private readonly string _archive;

    public RevisionInstallerTests()
    {
        _paths = new HostPaths(_temp.Combine("host"));
        _archive = _temp.Combine("archive");
        Write(_archive, "build/libs/app.jar", "new jar");
        Write(_archive, "build/libs/lib/dep.jar", "dep");
        Write(_archive, "scripts/deploy.sh", "#!/bin/sh\n");
        Write(_archive, "appspec.yml", "version: 0.0\n");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Directory_sources_copy_their_contents_and_file_sources_go_into_the_destination()
    {
        var result = Install(AppSpecFileExistsBehavior.Disallow, InstalledEntries.Empty);

        Assert.Equal("new jar", File.ReadAllText(_paths.Map("/opt/app/app.jar")));
        Assert.Equal("dep", File.ReadAllText(_paths.Map("/opt/app/lib/dep.jar")));
        Assert.True(File.Exists(_paths.Map("/opt/app/bin/deploy.sh")));
        Assert.Equal(3, result.Installed.Files.Count);
        Assert.Contains(_paths.Map("/opt/app/lib"), result.Installed.Directories);
    }

    [Fact]
    public void Disallow_refuses_an_existing_file_and_copies_nothing()
    {
        Write(_paths.Map("/opt/app"), "app.jar", "old jar");

        var error = Assert.Throws<InstallFailedException>(() => Install(AppSpecFileExistsBehavior.Disallow, InstalledEntries.Empty));

        Assert.Contains("already exists at this location: /opt/app/app.jar", error.Message, StringComparison.Ordinal);
        Assert.Equal("old jar", File.ReadAllText(_paths.Map("/opt/app/app.jar")));
        Assert.False(File.Exists(_paths.Map("/opt/app/bin/deploy.sh")));
    }

    [Fact]
    public void Overwrite_replaces_an_existing_file()
    {
        Write(_paths.Map("/opt/app"), "app.jar", "old jar");

        var result = Install(AppSpecFileExistsBehavior.Overwrite, InstalledEntries.Empty);

        Assert.Equal("new jar", File.ReadAllText(_paths.Map("/opt/app/app.jar")));
        Assert.Contains(_paths.Map("/opt/app/app.jar"), result.Installed.Files);
    }

    [Fact]
    public void Retain_keeps_the_existing_file_and_does_not_claim_it()
    {
        Write(_paths.Map("/opt/app"), "app.jar", "old jar");

        var result = Install(AppSpecFileExistsBehavior.Retain, InstalledEntries.Empty);

        Assert.Equal("old jar", File.ReadAllText(_paths.Map("/opt/app/app.jar")));
        Assert.Equal(1, result.RetainedFiles);
        Assert.DoesNotContain(_paths.Map("/opt/app/app.jar"), result.Installed.Files);
        Assert.Equal("dep", File.ReadAllText(_paths.Map("/opt/app/lib/dep.jar")));
    }

    [Fact]
    public void Files_the_previous_revision_installed_are_removed_first_so_disallow_allows_a_redeploy()
    {
        var first = Install(AppSpecFileExistsBehavior.Disallow, InstalledEntries.Empty);
        File.Delete(Path.Combine(_archive, "build/libs/lib/dep.jar"));

        var second = Install(AppSpecFileExistsBehavior.Disallow, first.Installed);

        Assert.Equal("new jar", File.ReadAllText(_paths.Map("/opt/app/app.jar")));
        Assert.False(File.Exists(_paths.Map("/opt/app/lib/dep.jar")));
        Assert.DoesNotContain(_paths.Map("/opt/app/lib/dep.jar"), second.Installed.Files);
    }

    [Fact]
    public void A_source_missing_from_the_revision_fails_install()
    {
        var spec = Spec([new AppSpecFile("build/missing", "/opt/app")]);

        var error = Assert.Throws<InstallFailedException>(() => new RevisionInstaller(_paths).Install(spec, _archive, AppSpecFileExistsBehavior.Overwrite, InstalledEntries.Empty));

        Assert.Contains("build/missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Permissions_apply_to_installed_paths_matching_pattern_type_and_except()
    {
        var install = Install(AppSpecFileExistsBehavior.Disallow, InstalledEntries.Empty);
        var applier = new PermissionApplier(_paths);

        var jars = applier.Select(new AppSpecPermission("/opt/app", "*.jar", [], null, null, "600", AppSpecPermissionTypes.File), install);
        var everythingButBin = applier.Select(new AppSpecPermission("/opt/app", "**", ["bin", "bin/**"], null, null, null, AppSpecPermissionTypes.Both), install);
        var directories = applier.Select(new AppSpecPermission("/opt", "**", [], null, null, null, AppSpecPermissionTypes.Directory), install);

        Assert.Equal([_paths.Map("/opt/app/app.jar")], jars);
        Assert.DoesNotContain(everythingButBin, p => p.Contains("/bin", StringComparison.Ordinal));
        Assert.Contains(_paths.Map("/opt/app/lib/dep.jar"), everythingButBin);
        Assert.All(directories, d => Assert.True(Directory.Exists(d)));
        Assert.Contains(_paths.Map("/opt/app/lib"), directories);
    }

    [Fact]
    public async Task Permissions_set_mode_and_owner()
    {
        var install = Install(AppSpecFileExistsBehavior.Disallow, InstalledEntries.Empty);

        await new PermissionApplier(_paths).ApplyAsync(
            [new AppSpecPermission("/opt/app/bin/deploy.sh", "**", [], "nobody", null, "4750", AppSpecPermissionTypes.Both)], install, CancellationToken.None);

        var target = _paths.Map("/opt/app/bin/deploy.sh");
        Assert.Equal((UnixFileMode)Convert.ToInt32("4750", 8), File.GetUnixFileMode(target));
        Assert.Equal("nobody", Stat("%U", target));
    }

    [Fact]
    public void Installed_files_are_hard_links_to_the_extracted_bundle_so_no_byte_is_written_twice()
    {
        Install(AppSpecFileExistsBehavior.Disallow, InstalledEntries.Empty);

        var target = _paths.Map("/opt/app/app.jar");
        Assert.Equal(Stat("%i", Path.Combine(_archive, "build/libs/app.jar")), Stat("%i", target));
        Assert.Equal("2", Stat("%h", target));
    }

    [Fact]
    public void A_hook_script_that_is_also_installed_gets_its_own_copy_so_the_runner_never_changes_the_installed_file()
    {
        var hooks = new Dictionary<string, IReadOnlyList<AppSpecHook>> { ["AfterInstall"] = [new AppSpecHook("scripts/deploy.sh", 60, null)] };
        var spec = Spec([new AppSpecFile("scripts/deploy.sh", "/opt/app/bin")]) with { Hooks = hooks };

        new RevisionInstaller(_paths).Install(spec, _archive, AppSpecFileExistsBehavior.Disallow, InstalledEntries.Empty);

        var target = _paths.Map("/opt/app/bin/deploy.sh");
        Assert.Equal("1", Stat("%h", target));
        Assert.NotEqual(Stat("%i", Path.Combine(_archive, "scripts/deploy.sh")), Stat("%i", target));
    }

    [Fact]
    public void One_source_installed_at_two_places_is_linked_once_and_copied_once_so_each_keeps_its_own_permissions()
    {
        var spec = Spec([new AppSpecFile("scripts/deploy.sh", "/opt/a"), new AppSpecFile("scripts/deploy.sh", "/opt/b")]);

        new RevisionInstaller(_paths).Install(spec, _archive, AppSpecFileExistsBehavior.Disallow, InstalledEntries.Empty);

        Assert.NotEqual(Stat("%i", _paths.Map("/opt/a/deploy.sh")), Stat("%i", _paths.Map("/opt/b/deploy.sh")));
    }

    private InstallResult Install(AppSpecFileExistsBehavior behavior, InstalledEntries previous) =>
        new RevisionInstaller(_paths).Install(
            Spec([new AppSpecFile("/build/libs", "/opt/app"), new AppSpecFile("scripts/deploy.sh", "/opt/app/bin")]), _archive, behavior, previous);

    private static AppSpec Spec(IReadOnlyList<AppSpecFile> files) =>
        new("0.0", AppSpecPlatform.Server, "linux", files, AppSpecFileExistsBehavior.Disallow, [], new Dictionary<string, IReadOnlyList<AppSpecHook>>());

    private static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static string Stat(string format, string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", format, path]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
