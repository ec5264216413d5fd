using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BuildFarm.Coordinator.Pipelines;
using BuildFarm.Coordinator.Runs;
using BuildFarm.Coordinator.Secrets;
using BuildFarm.Coordinator.Triggers;
using BuildFarm.Core.Triggers;

namespace BuildFarm.Coordinator.Api;

/// <summary>
/// GitHub webhooks: <c>POST /api/webhooks/github/{pipeline}</c>. The signature (X-Hub-Signature-256,
/// HMAC-SHA256 with the secret stored as <c>webhooks/github/{pipeline}</c>) is checked in constant time
/// before anything is read or stored; the delivery id is the run's idempotency key, so a redelivery
/// answers with the run it first created. 202 only after the run is committed. When the latest version has
/// <c>triggers.github</c> filters, an event that matches none is answered 200 with the reason and stores nothing.
/// </summary>
public static class WebhooksEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static RouteGroupBuilder MapWebhooksEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/webhooks").WithTags("Webhooks").AllowAnonymous(); // signed with the pipeline's webhook secret (HMAC) instead
        group.MapPost("/github/{pipeline}", GitHubAsync)
            .WithSummary("GitHub push / pull_request / ping, signed with the pipeline's webhook secret.");
        return group;
    }

    private static async Task<IResult> GitHubAsync(
        string pipeline, HttpRequest request, SecretStore secrets, RunService runs, PipelineEdgesLookup edges, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"Webhook payloads are limited to {MaxBodyBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        var secretName = $"webhooks/github/{pipeline}";
        var secret = (await secrets.ResolveAsync([secretName], cancellationToken)).GetValueOrDefault(secretName);
        if (secret is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "No webhook secret is configured.",
                detail: $"Store the GitHub webhook secret of pipeline '{pipeline}' as the secret '{secretName}'.");
        }

        if (!SignatureMatches(body, secret, request.Headers["X-Hub-Signature-256"].ToString()))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The webhook signature does not match.",
                detail: "X-Hub-Signature-256 must be sha256=HMAC-SHA256(secret, body); nothing was stored.");
        }

        var delivery = request.Headers["X-GitHub-Delivery"].ToString();
        var @event = request.Headers["X-GitHub-Event"].ToString();
        if (@event == "ping")
        {
            return TypedResults.Ok(new { result = "pong" });
        }

        JsonElement payload;
        try
        {
            payload = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The webhook body is not JSON.", detail: ex.Message);
        }

        var filters = (await edges.LatestAsync(pipeline, cancellationToken))?.Triggers?.GitHub;
        if (filters is not null)
        {
            if (GitHubTriggerEvents.From(@event, payload) is not { } trigger)
            {
                return TypedResults.Ok(new { result = "ignored", reason = $"event '{@event}' is not filtered by triggers.github and does not start runs" });
            }
            var decision = TriggerFilterEvaluator.Evaluate(filters, trigger);
            if (!decision.Matched)
            {
                return TypedResults.Ok(new { result = "filtered", reason = decision.Reason });
            }
        }

        var variables = GitHubVariables.From(@event, payload, closedStartsRuns: filters is not null);
        if (variables is null)
        {
            return TypedResults.Ok(new { result = "ignored", reason = $"event '{@event}' with this action does not start runs" });
        }

        var run = await runs.TriggerAsync(
            new RunTrigger(pipeline, string.IsNullOrEmpty(delivery) ? null : $"github:{delivery}", variables, Guid.NewGuid(), "github"),
            cancellationToken);
        return TypedResults.Accepted($"/api/runs/{run.Id}", new { result = "queued", runId = run.Id });
    }

    private static bool SignatureMatches(byte[] body, string secret, string header)
    {
        const string Prefix = "sha256=";
        if (!header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
