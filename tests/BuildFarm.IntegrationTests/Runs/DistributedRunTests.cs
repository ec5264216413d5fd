extern alias coordinator;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using BuildFarm.Client;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Protos.V1;
using Microsoft.EntityFrameworkCore;
using CoreStatus = BuildFarm.Core.Runs.RunStatus;

namespace BuildFarm.IntegrationTests.Runs;

/// <summary>The spine end to end on real PostgreSQL and RabbitMQ, coordinator and worker as separate hosts.</summary>
public sealed class DistributedRunTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_run_triggered_over_http_runs_on_the_worker_and_its_log_arrives_byte_for_byte()
    {
        const string spec = """
            version: 0.2
            env:
              variables:
                GREETING: hi
            phases:
              install:
                commands:
                  - cd /tmp
                  - export CARRIED=yes
              build:
                commands:
                  - echo "$GREETING from $PWD carried=$CARRIED"
                  - printf 'bin:\377\376\000end\n'
                  - printf 'to stderr\n' >&2
            """;
        var put = await farm.Http.PutAsJsonAsync("/api/pipelines/http-bytes", new { definition = spec, fileName = "buildspec.yml" }, Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var post = await farm.Http.PostAsJsonAsync("/api/runs", new { pipeline = "http-bytes" }, Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var runId = (await post.Content.ReadFromJsonAsync<RunBody>(Wait.Up(Limit)))!.Id;

        var run = await farm.Client.WaitForRunAsync(runId, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var job = Assert.Single(run.Jobs);
        Assert.Equal("worker-a", job.WorkerId);
        Assert.Equal(["install", "build"], job.Phases.Select(p => p.Name));
        var http = await farm.Http.GetByteArrayAsync($"/api/runs/{runId}/log", Wait.Up(Limit));
        var grpc = await farm.Client.GetLogAsync(runId, Wait.Up(Limit));
        Assert.Equal(http, grpc);
        var expectedOut = "hi from /tmp carried=yes\nbin:"u8.ToArray().Concat(new byte[] { 0xff, 0xfe, 0x00 }).Concat("end\n"u8.ToArray()).ToArray();
        Assert.True(Contains(http, expectedOut), "stdout bytes, including invalid UTF-8 and NUL, arrive unchanged");
        Assert.True(Contains(http, "to stderr\n"u8.ToArray()));

        using var scope = farm.OpenDatabase(out var db);
        var stored = await db.Runs.Include(r => r.Jobs).ThenInclude(j => j.Phases).SingleAsync(r => r.Id == Guid.Parse(runId));
        Assert.Equal(CoreStatus.Succeeded, stored.Status);
        Assert.Equal(1, stored.PipelineVersion);
        Assert.Equal("http", stored.TriggeredBy);
        Assert.NotNull(stored.StartedAt);
        Assert.NotNull(stored.FinishedAt);
        Assert.All(stored.Jobs[0].Phases, p => Assert.Equal(0, p.ExitCode));
        Assert.Equal(0, await db.OutboxMessages.CountAsync(m => m.SentAt == null));
    }

    [Fact]
    public async Task A_failing_command_fails_the_run_with_its_exit_code_and_post_build_still_runs()
    {
        await farm.Client.ApplyPipelineAsync("fails", """
            version: 0.2
            phases:
              build:
                commands:
                  - echo before
                  - exit 7
                  - echo never
              post_build:
                commands:
                  - echo "post_build ran, succeeding=$CODEBUILD_BUILD_SUCCEEDING"
            """, cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync("fails", cancellationToken: Wait.Up(Limit));

        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        Assert.Equal(RunStatus.Failed, final.Status);
        Assert.Equal(7, final.Jobs[0].ExitCode);
        Assert.Contains("exit code 7", final.Reason, StringComparison.Ordinal);
        var build = final.Jobs[0].Phases.Single(p => p.Name == "build");
        Assert.Equal(("Failed", 7), (build.Status, build.ExitCode));
        Assert.Equal("Succeeded", final.Jobs[0].Phases.Single(p => p.Name == "post_build").Status);
        var log = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, Wait.Up(Limit)));
        Assert.Contains("before\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain("never", log, StringComparison.Ordinal);
        Assert.Contains("post_build ran, succeeding=0", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_kills_the_running_process_tree_and_ends_the_run_cancelled()
    {
        var pidFile = Path.Combine(farm.WorkRoot, $"pids-{Guid.NewGuid():N}");
        await farm.Client.ApplyPipelineAsync("sleeps", """
            version: 0.2
            phases:
              build:
                commands:
                  - sleep 600 & echo $! >> "$PIDS"; bash -c 'sleep 600 & echo $! >> "$PIDS"; wait' & echo $! >> "$PIDS"; echo $$ >> "$PIDS"; echo started; wait
            """, cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync("sleeps", new Dictionary<string, string> { ["PIDS"] = pidFile }, cancellationToken: Wait.Up(Limit));
        await Wait.UntilAsync(async () => File.Exists(pidFile) && (await File.ReadAllLinesAsync(pidFile)).Length >= 4, Limit, "the step's processes to start");
        var pids = (await File.ReadAllLinesAsync(pidFile)).Select(int.Parse).ToList();

        await farm.Client.CancelRunAsync(run.Id, Wait.Up(Limit));
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        Assert.Equal(RunStatus.Cancelled, final.Status);
        Assert.All(pids, pid => Assert.False(IsRunning(pid), $"process {pid} of the step is still running"));
    }

    [Fact]
    public async Task A_repeated_idempotency_key_returns_the_run_it_first_created()
    {
        await farm.Client.ApplyPipelineAsync("idem", "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n", cancellationToken: Wait.Up(Limit));
        var first = await farm.Client.TriggerRunAsync("idem", idempotencyKey: "push-abc123", cancellationToken: Wait.Up(Limit));
        var second = await farm.Client.TriggerRunAsync("idem", idempotencyKey: "push-abc123", cancellationToken: Wait.Up(Limit));

        Assert.Equal(first.Id, second.Id);
        using var scope = farm.OpenDatabase(out var db);
        Assert.Equal(1, await db.Runs.CountAsync(r => r.IdempotencyKey == "push-abc123"));
    }

    [Fact]
    public async Task An_invalid_definition_is_refused_with_its_location_and_changes_nothing_stored()
    {
        await farm.Client.ApplyPipelineAsync("kept", "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n", cancellationToken: Wait.Up(Limit));
        const string broken = "version: 0.2\nphases:\n  pre-build:\n    commands:\n      - true\n";

        var http = await farm.Http.PutAsJsonAsync("/api/pipelines/kept", new { definition = broken, fileName = "buildspec.yml" }, Wait.Up(Limit));
        var grpc = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.ApplyPipelineAsync("kept", broken, cancellationToken: Wait.Up(Limit)));

        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        Assert.Equal("application/problem+json", http.Content.Headers.ContentType?.MediaType);
        var problem = await http.Content.ReadAsStringAsync(Wait.Up(Limit));
        Assert.Contains("\"line\":3", problem, StringComparison.Ordinal);
        Assert.Contains("\"column\":3", problem, StringComparison.Ordinal);
        Assert.Contains("phases.pre-build", problem, StringComparison.Ordinal);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, grpc.Status);
        var violation = Assert.Single(grpc.Violations);
        Assert.Equal("phases.pre-build", violation.Field);
        Assert.StartsWith("buildspec.yml:3:3: error", violation.Description, StringComparison.Ordinal);
        var kept = await farm.Client.GetPipelineAsync("kept", cancellationToken: Wait.Up(Limit));
        Assert.Equal(1, kept.Version);
    }

    [Fact]
    public async Task Unknown_pipelines_and_runs_are_not_found_over_http_and_grpc()
    {
        var http = await farm.Http.GetAsync($"/api/runs/{Guid.NewGuid()}", Wait.Up(Limit));
        var trigger = await farm.Http.PostAsJsonAsync("/api/runs", new { pipeline = "no-such-pipeline" }, Wait.Up(Limit));
        var grpc = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.GetRunAsync(Guid.NewGuid().ToString(), Wait.Up(Limit)));

        Assert.Equal(HttpStatusCode.NotFound, http.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, trigger.StatusCode);
        Assert.Equal("application/problem+json", trigger.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Grpc.Core.StatusCode.NotFound, grpc.Status);
    }

    [Fact]
    public async Task Every_apply_is_a_new_version_and_a_run_records_the_version_it_used()
    {
        await farm.Client.ApplyPipelineAsync("versions", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo one\n", cancellationToken: Wait.Up(Limit));
        var first = await farm.Client.TriggerRunAsync("versions", cancellationToken: Wait.Up(Limit));
        var v2 = await farm.Client.ApplyPipelineAsync("versions", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo two\n", cancellationToken: Wait.Up(Limit));
        var second = await farm.Client.TriggerRunAsync("versions", cancellationToken: Wait.Up(Limit));

        Assert.Equal(2, v2.Version);
        Assert.Equal(1, first.PipelineVersion);
        Assert.Equal(2, second.PipelineVersion);
        await farm.Client.WaitForRunAsync(first.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        await farm.Client.WaitForRunAsync(second.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Contains("one\n", Encoding.UTF8.GetString(await farm.Client.GetLogAsync(first.Id, Wait.Up(Limit))), StringComparison.Ordinal);
        Assert.Contains("two\n", Encoding.UTF8.GetString(await farm.Client.GetLogAsync(second.Id, Wait.Up(Limit))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_coordinator_serves_grpc_health_readyz_and_an_openapi_document_of_every_http_endpoint()
    {
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(farm.GrpcUrl);
        var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), cancellationToken: Wait.Up(Limit));
        var ready = await farm.Http.GetAsync("/readyz", Wait.Up(Limit));
        using var openApi = System.Text.Json.JsonDocument.Parse(await farm.Http.GetStringAsync("/openapi/v1.json", Wait.Up(Limit)));

        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.StartsWith("3.", openApi.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = openApi.RootElement.GetProperty("paths");
        var source = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>(farm.CoordinatorServices);
        var described = source.Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Grpc.AspNetCore.Server.GrpcMethodMetadata>() is null
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true }
                && e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(described);
        foreach (var endpoint in described)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!.TrimEnd('/'), @"\{\*?(\w+)(:[^}]*)?\}", "{$1}");
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()!.HttpMethods;
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document");
            Assert.All(methods, m => Assert.True(item.TryGetProperty(m.ToLowerInvariant(), out _), $"{m} {path} is not in the OpenAPI document"));
        }
    }

    [Fact]
    public async Task Server_reflection_lists_every_public_service()
    {
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(farm.GrpcUrl);
        using var call = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(cancellationToken: Wait.Up(Limit));
        await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Wait.Up(Limit)));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        foreach (var name in new[] { "PipelineService", "RunService", "LogService", "TokenService", "ArtifactService", "WorkerService", "DeployService", "CacheService", "ApprovalService" })
        {
            Assert.Contains($"buildfarm.v1.{name}", services);
        }

        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task A_definition_over_the_cap_is_refused_naming_the_field_and_stores_nothing()
    {
        // Under the 1 MiB body limit, over the 256 KiB definition cap.
        var big = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo " + new string('x', 300 * 1024) + "\n";

        using var http = await farm.Http.PutAsJsonAsync("/api/pipelines/too-long", new { definition = big }, Wait.Up(Limit));
        var grpc = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.ApplyPipelineAsync("too-long", big, cancellationToken: Wait.Up(Limit)));

        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        Assert.Equal("application/problem+json", http.Content.Headers.ContentType?.MediaType);
        Assert.Contains("larger than", await http.Content.ReadAsStringAsync(Wait.Up(Limit)), StringComparison.Ordinal);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, grpc.Status);
        Assert.Equal("definition", Assert.Single(grpc.Violations).Field);
        using var missing = await farm.Http.GetAsync("/api/pipelines/too-long", Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_retry_reruns_the_same_version_with_the_same_variables_and_a_running_run_cannot_be_retried()
    {
        await farm.Client.ApplyPipelineAsync("retry-me", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"v1 $COLOUR\"\n", cancellationToken: Wait.Up(Limit));
        var first = await farm.Client.TriggerRunAsync("retry-me", new Dictionary<string, string> { ["COLOUR"] = "blue" }, cancellationToken: Wait.Up(Limit));
        await farm.Client.WaitForRunAsync(first.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        await farm.Client.ApplyPipelineAsync("retry-me", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo v2\n", cancellationToken: Wait.Up(Limit));

        var retry = await farm.Client.RetryRunAsync(first.Id, Wait.Up(Limit));
        var final = await farm.Client.WaitForRunAsync(retry.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        Assert.NotEqual(first.Id, retry.Id);
        Assert.Equal(1, final.PipelineVersion);
        Assert.Contains("v1 blue", Encoding.UTF8.GetString(await farm.Client.GetLogAsync(retry.Id, Wait.Up(Limit))), StringComparison.Ordinal);

        await farm.Client.ApplyPipelineAsync("retry-slow", "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 30\n", cancellationToken: Wait.Up(Limit));
        var slow = await farm.Client.TriggerRunAsync("retry-slow", cancellationToken: Wait.Up(Limit));
        using var refused = await farm.Http.PostAsync($"/api/runs/{slow.Id}/retry", null, Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("only a finished run", await refused.Content.ReadAsStringAsync(Wait.Up(Limit)), StringComparison.Ordinal);
        await farm.Client.CancelRunAsync(slow.Id, Wait.Up(Limit));
    }

    [Fact]
    public async Task An_oversized_request_body_is_refused_with_413_problem_details_and_stores_nothing()
    {
        var huge = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo " + new string('x', 2 * 1024 * 1024) + "\n";

        using var response = await farm.Http.PutAsJsonAsync("/api/pipelines/too-big", new { definition = huge }, Wait.Up(Limit));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var missing = await farm.Http.GetAsync("/api/pipelines/too-big", Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static bool IsRunning(int pid)
    {
        // Killed processes may linger as zombies where nothing reaps orphans; a zombie runs nothing.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private sealed record RunBody(string Id);
}
