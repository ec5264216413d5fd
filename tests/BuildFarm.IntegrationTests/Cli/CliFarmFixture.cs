using BuildFarm.Cli.Commands;
using BuildFarm.Cli.Embedded;
using BuildFarm.Client;

namespace BuildFarm.IntegrationTests.Cli;

/// <summary>An embedded farm for the CLI tests; commands are called in-process with captured writers.</summary>
public sealed class CliFarmFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bf-cli-").FullName;
    private EmbeddedFarm? _farm;

    public BuildFarmClient Client { get; private set; } = null!;

    public Uri Server => _farm!.GrpcUrl;

    public async Task InitializeAsync()
    {
        _farm = await EmbeddedFarm.StartAsync(_directory, CancellationToken.None, new Dictionary<string, string?>
        {
            ["Worker:Slots"] = "4",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        });
        Client = new BuildFarmClient(_farm.GrpcUrl);
    }

    public CliContext Context(StringWriter output, StringWriter error, bool json = false) =>
        new(Server, output, error, json, TimeProvider.System);

    public async Task<string> WriteBuildspecAsync(string name, string command)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "specs", name)).FullName;
        var file = Path.Combine(folder, "buildspec.yml");
        await File.WriteAllTextAsync(file, $"""
            version: 0.2
            phases:
              build:
                commands:
                  - {command}
            """);
        return file;
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
