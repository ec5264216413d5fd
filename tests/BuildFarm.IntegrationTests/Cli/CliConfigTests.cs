using System.Text.Json;
using BuildFarm.Cli.Commands;
using BuildFarm.Cli.Config;

namespace BuildFarm.IntegrationTests.Cli;

/// <summary>`buildfarm config`: the settings file round-trips, never shows a token, and a broken file is named, not ignored.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bf-cli-config-").FullName;

    private string ConfigPath => Path.Combine(_directory, "nested", "config.json");

    [Fact]
    public async Task Set_then_show_round_trips_the_settings_masks_the_token_and_keeps_the_file_private()
    {
        Assert.Equal(0, (await RunAsync("config", "set", "server", "http://127.0.0.1:8081")).Code);
        Assert.Equal(0, (await RunAsync("config", "set", "token", "bf_0123abcd_s3cretvaluethatmustnotshow")).Code);

        var (code, output, _) = await RunAsync("config", "show", "--json");
        Assert.Equal(0, code);
        var shown = JsonDocument.Parse(output).RootElement;
        Assert.Equal("http://127.0.0.1:8081", shown.GetProperty("server").GetString());
        Assert.Equal("bf_0123abcd_****", shown.GetProperty("token").GetString());
        Assert.DoesNotContain("s3cret", output, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
        Assert.Equal(new CliConfig("http://127.0.0.1:8081", null, "bf_0123abcd_s3cretvaluethatmustnotshow"), CliConfig.Load(ConfigPath));

        Assert.Equal(0, (await RunAsync("config", "unset", "token")).Code);
        Assert.Null(CliConfig.Load(ConfigPath).Token);
    }

    [Fact]
    public async Task A_bad_url_an_unknown_key_and_a_broken_file_exit_2_and_say_why()
    {
        var (code, _, error) = await RunAsync("config", "set", "server", "not a url");
        Assert.Equal(2, code);
        Assert.Contains("not an absolute URL", error, StringComparison.Ordinal);
        Assert.Equal(2, (await RunAsync("config", "set", "colour", "red")).Code);

        Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
        await File.WriteAllTextAsync(ConfigPath, "{\n  \"server\": \n");
        (code, _, error) = await RunAsync("config", "show");
        Assert.Equal(2, code);
        Assert.Contains(ConfigPath, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_wins_over_the_file_and_BUILDFARM_CONFIG_names_the_file()
    {
        Assert.Equal("from-env", CliConfig.Resolve("from-env", "from-file"));
        Assert.Equal("from-file", CliConfig.Resolve(null, "from-file"));
        Assert.Equal("from-file", CliConfig.Resolve("", "from-file"));
        Assert.Equal("/x/c.json", CliConfig.DefaultPath(name => name == "BUILDFARM_CONFIG" ? "/x/c.json" : null));
        Assert.Equal("/xdg/buildfarm/config.json", CliConfig.DefaultPath(name => name == "XDG_CONFIG_HOME" ? "/xdg" : null));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ConfigCommand.ExecuteAsync(args, ConfigPath, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
