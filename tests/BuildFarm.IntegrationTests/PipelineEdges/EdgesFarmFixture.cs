using BuildFarm.IntegrationTests.Fixtures;

namespace BuildFarm.IntegrationTests.PipelineEdges;

/// <summary>A farm whose GitHub API is a <see cref="LoopbackReceiver"/>, with quick notification retries.</summary>
public sealed class EdgesFarmFixture : FarmFixture
{
    public LoopbackReceiver Receiver { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Receiver = await LoopbackReceiver.StartAsync();
        await base.InitializeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["GitHub:ApiBaseUrl"] = new Uri(Receiver.Url, "github").ToString();
        settings["Notifications:InitialBackoffMilliseconds"] = "50";
        settings["Notifications:PollMilliseconds"] = "50";
        // The tests drive their own schedulers on a fake clock; the real one would follow the wall clock.
        settings["Schedule:Enabled"] = "false";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
