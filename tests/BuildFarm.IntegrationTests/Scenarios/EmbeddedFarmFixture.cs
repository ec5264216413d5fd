using BuildFarm.Cli.Embedded;
using BuildFarm.Client;

namespace BuildFarm.IntegrationTests.Scenarios;

/// <summary>The embedded farm (SQLite, in-memory bus), the same code as the distributed one: scenarios need no services.</summary>
public sealed class EmbeddedFarmFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bf-scenarios-").FullName;
    private EmbeddedFarm? _farm;

    public BuildFarmClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _farm = await EmbeddedFarm.StartAsync(_directory, CancellationToken.None, new Dictionary<string, string?>
        {
            ["Worker:Slots"] = "2",
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
