using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using BuildFarm.Cli.Embedded;
using BuildFarm.Client;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BuildFarm.IntegrationTests.Sdk;

/// <summary>
/// The SDK's defaults against a stand-in gRPC server that counts calls: UNAVAILABLE is retried only for
/// calls safe to repeat, and a deadline ends a call that gets no answer.
/// </summary>
public sealed class SdkRetryAndDeadlineTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private WebApplication? _server;
    private Uri _url = null!;
    private volatile bool _hang;

    public async Task InitializeAsync()
    {
        var port = FarmHosts.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
        _server = builder.Build();
        _server.Run(async context =>
        {
            _calls.AddOrUpdate(context.Request.Path.Value!, 1, (_, n) => n + 1);
            if (_hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            // Trailers-only: a coordinator that cannot serve right now (restarting, database away).
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "14";
            context.Response.Headers["grpc-message"] = "down for a moment";
        });
        await _server.StartAsync();
        _url = new Uri($"http://127.0.0.1:{port}");
    }

    [Fact]
    public async Task Unavailable_is_retried_for_calls_safe_to_repeat_and_surfaces_as_a_typed_exception()
    {
        using var client = new BuildFarmClient(_url, "bf_test");

        var read = await Assert.ThrowsAsync<BuildFarmException>(() => client.GetRunAsync(Guid.NewGuid().ToString()));
        var trigger = await Assert.ThrowsAsync<BuildFarmException>(() => client.TriggerRunAsync("p"));
        var apply = await Assert.ThrowsAsync<BuildFarmException>(() => client.ApplyPipelineAsync("p", "version: 0.2"));
        var delete = await Assert.ThrowsAsync<BuildFarmException>(() => client.DeleteCacheEntryAsync("k"));
        await Assert.ThrowsAsync<BuildFarmException>(() => client.ListCacheEntriesAsync());

        Assert.All(new[] { read, trigger, apply, delete }, e =>
        {
            Assert.Equal(StatusCode.Unavailable, e.Status);
            Assert.Equal("down for a moment", e.Message);
        });
        // Reads and triggers (each carries an idempotency key) are tried five times; a second apply
        // would store a second version and a repeated delete would answer NOT_FOUND, so those go once.
        Assert.Equal(5, _calls["/buildfarm.v1.RunService/GetRun"]);
        Assert.Equal(5, _calls["/buildfarm.v1.RunService/TriggerRun"]);
        Assert.Equal(5, _calls["/buildfarm.v1.CacheService/ListCacheEntries"]);
        Assert.Equal(1, _calls["/buildfarm.v1.PipelineService/ApplyPipeline"]);
        Assert.Equal(1, _calls["/buildfarm.v1.CacheService/DeleteCacheEntry"]);
    }

    [Fact]
    public async Task A_call_that_gets_no_answer_ends_at_the_deadline()
    {
        _hang = true;
        using var client = new BuildFarmClient(_url, "bf_test", deadline: TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<BuildFarmException>(() => client.ListPipelinesAsync());

        Assert.Equal(StatusCode.DeadlineExceeded, error.Status);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(30), BuildFarmClient.DefaultDeadline);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
    }
}
