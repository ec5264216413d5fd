using BuildFarm.Cli.Embedded;
using BuildFarm.Client;

namespace BuildFarm.IntegrationTests.Scenarios;

/// <summary>The embedded farm (SQLite, in-memory bus), the same code as the distributed one: scenarios need no services.</summary>
public sealed class EmbeddedFarmFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bf-scenarios-").FullName;
    private EmbeddedFarm? _farm;

    public BuildFarmClient Client { get; private set; } = null!;

    /// <summary>The farm's data directory: its database, workspaces and (under artifacts/) the artifact store.</summary>
    public string DataDirectory => _directory;

    /// <summary>The admin HTTP API (no token: the embedded farm runs with Auth:Mode=None).</summary>
    public Uri HttpUrl => _farm!.HttpUrl;

    public async Task InitializeAsync()
    {
        // run-as scenarios run steps as nobody, who must be able to reach the workspace under it.
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(_directory, File.GetUnixFileMode(_directory) | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        }
        _farm = await EmbeddedFarm.StartAsync(_directory, CancellationToken.None, new Dictionary<string, string?>
        {
            ["Worker:Slots"] = "2",
            // runtime-versions scenarios: this runtime is advertised, every other one is not.
            ["Worker:Labels:0"] = "java:corretto17",
            // Timeout tests: a pipeline's timeout minute lasts one second here, and sweeps come every second.
            ["Scheduling:TimeoutMinuteSeconds"] = "1",
            ["Scheduling:SweepSeconds"] = "1",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        });
        Client = new BuildFarmClient(_farm.GrpcUrl);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_farm is not null)
        {
            await _farm.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
