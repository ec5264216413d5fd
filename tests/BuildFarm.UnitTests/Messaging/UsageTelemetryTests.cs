extern alias coordinator;

using coordinator::BuildFarm.Coordinator.Messaging;
using coordinator::BuildFarm.Coordinator.Options;
using BuildFarm.Worker;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BuildFarm.UnitTests.Messaging;

/// <summary>A self-hosted farm sends nothing to MassTransit's usage-tracking service, whose address is not loopback.</summary>
public sealed class UsageTelemetryTests
{
    [Fact]
    public void The_coordinators_bus_reports_no_usage()
    {
        var services = new ServiceCollection();
        services.AddCoordinatorBus(new MessagingOptions { Transport = "InMemory" }, addMore: null);

        using var provider = services.BuildServiceProvider();

        Assert.False(provider.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }

    [Fact]
    public void The_workers_and_agents_bus_reports_no_usage()
    {
        foreach (var agent in new[] { false, true })
        {
            var services = new ServiceCollection();
            services.AddWorkerBus(new BuildFarm.Worker.Options.WorkerMessagingOptions { Transport = "InMemory" }, agent);

            using var provider = services.BuildServiceProvider();

            Assert.False(provider.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
        }
    }
}
