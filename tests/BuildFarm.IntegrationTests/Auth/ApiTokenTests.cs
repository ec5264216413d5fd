extern alias coordinator;
extern alias worker;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BuildFarm.Client;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using worker::BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Auth;

/// <summary>Tokens as their users meet them: created once, listed without secrets, refused once revoked.</summary>
public sealed class ApiTokenTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_created_token_is_shown_once_works_for_its_role_and_is_refused_after_revocation()
    {
        using var create = await farm.Http.PostAsJsonAsync("/api/tokens", new { name = "release-bot", role = "trigger" }, Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        using var created = JsonDocument.Parse(await create.Content.ReadAsStringAsync(Wait.Up(Limit)));
        var secret = created.RootElement.GetProperty("secret").GetString()!;
        var id = created.RootElement.GetProperty("token").GetProperty("id").GetString()!;
        Assert.StartsWith("bf_", secret, StringComparison.Ordinal);

        var listed = await farm.Http.GetStringAsync("/api/tokens", Wait.Up(Limit));
        Assert.Contains("release-bot", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[^20..], listed, StringComparison.Ordinal);

        using var bot = new HttpClient { BaseAddress = farm.HttpUrl };
        bot.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/api/runs", Wait.Up(Limit))).StatusCode);
        using var cancel = await bot.PostAsync($"/api/runs/{Guid.NewGuid()}/cancel", null, Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.Contains("trigger", await cancel.Content.ReadAsStringAsync(Wait.Up(Limit)), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await farm.Http.DeleteAsync($"/api/tokens/{id}", Wait.Up(Limit))).StatusCode);
        await Wait.UntilAsync(async () => (await bot.GetAsync("/api/runs", Wait.Up(Limit))).StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10), "the revoked token to be refused");
        using var refused = await bot.GetAsync("/api/runs", Wait.Up(Limit));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("revoked", await refused.Content.ReadAsStringAsync(Wait.Up(Limit)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_callers_get_unauthenticated_and_permission_denied_with_the_reason()
    {
        using var anonymous = new BuildFarmClient(farm.GrpcUrl);
        var viewerToken = (await farm.Client.CreateTokenAsync("dashboard", "viewer", cancellationToken: Wait.Up(Limit))).Secret;
        using var viewer = new BuildFarmClient(farm.GrpcUrl, viewerToken);

        var noToken = await Assert.ThrowsAsync<BuildFarmException>(() => anonymous.ListPipelinesAsync(Wait.Up(Limit)));
        var weak = await Assert.ThrowsAsync<BuildFarmException>(() => viewer.TriggerRunAsync("anything", cancellationToken: Wait.Up(Limit)));
        var bad = await Assert.ThrowsAsync<BuildFarmException>(() => viewer.CreateTokenAsync("x", "wizard", cancellationToken: Wait.Up(Limit)));
        var invalid = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.CreateTokenAsync("x", "wizard", cancellationToken: Wait.Up(Limit)));

        Assert.Equal(StatusCode.Unauthenticated, noToken.Status);
        Assert.Contains("Authorization: Bearer", noToken.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.PermissionDenied, weak.Status);
        Assert.Contains("viewer", weak.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.PermissionDenied, bad.Status);
        Assert.Equal(StatusCode.InvalidArgument, invalid.Status);
        Assert.Contains(invalid.Violations, v => v.Field == "role");
        var page = await viewer.ListRunsAsync(cancellationToken: Wait.Up(Limit));
        Assert.NotNull(page.Runs);
    }

    [Fact]
    public async Task A_revoked_worker_token_stops_that_worker_heartbeating_and_claiming_jobs()
    {
        var created = await farm.Client.CreateTokenAsync("worker-z", "worker", cancellationToken: Wait.Up(Limit));
        using var channel = GrpcChannel.ForAddress(farm.GrpcUrl);
        var gateway = new WorkerGateway.WorkerGatewayClient(channel.Intercept(m =>
        {
            m.Add("authorization", $"Bearer {created.Secret}");
            return m;
        }));
        var claim = await gateway.ClaimJobAsync(new ClaimJobRequest { WorkerId = "worker-z", JobId = Guid.NewGuid().ToString(), AttemptId = Guid.NewGuid().ToString() }, cancellationToken: Wait.Up(Limit));
        Assert.False(claim.Granted);

        await farm.Client.RevokeTokenAsync(created.Token.Id, Wait.Up(Limit));

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                await gateway.HeartbeatAsync(new HeartbeatRequest { WorkerId = "worker-z" }, cancellationToken: Wait.Up(Limit));
                await Task.Delay(100);
            }
        });
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("revoked", refused.Status.Detail, StringComparison.Ordinal);
        var claimAfter = await Assert.ThrowsAsync<RpcException>(() => gateway.ClaimJobAsync(new ClaimJobRequest { WorkerId = "worker-z", JobId = Guid.NewGuid().ToString(), AttemptId = Guid.NewGuid().ToString() }, cancellationToken: Wait.Up(Limit)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, claimAfter.StatusCode);

        // Nor can it write a log: the stream is refused before any chunk is read.
        using var logs = gateway.StreamLogs(cancellationToken: Wait.Up(Limit));
        // No chunk is written first: the server may end the call before a write lands, and the client then
        // reports that write as Cancelled rather than the refusal.
        var writeAfter = await Assert.ThrowsAsync<RpcException>(() => logs.ResponseStream.MoveNext(Wait.Up(Limit)));
        Assert.Equal(StatusCode.Unauthenticated, writeAfter.StatusCode);
    }
}
