using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BuildFarm.Coordinator.Api;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Coordinator.Pipelines;
using BuildFarm.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Notifications;

/// <summary>
/// Turns one state change into the deliveries it owes: one per matching rule of the run's pipeline version,
/// plus a GitHub commit status for webhook runs. They are stored (the sender posts them) rather than posted
/// here, so a slow or failing target never holds a bus delivery, and retries survive a restart.
/// </summary>
public sealed partial class NotificationPlanner(
    BuildFarmDbContext db,
    PipelineEdgesLookup edges,
    TimeProvider time,
    IOptions<GitHubOptions> github,
    IOptions<CoordinatorOptions> coordinator,
    ILogger<NotificationPlanner> logger)
{
    private const string CommitVariable = "CODEBUILD_RESOLVED_SOURCE_VERSION";
    private const int MaxStatusDescription = 140; // GitHub refuses longer descriptions.

    public async Task<int> PlanAsync(NotificationSubject subject, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == subject.RunId, cancellationToken);
        if (run is null)
        {
            LogUnknownRun(logger, subject.RunId);
            return 0;
        }

        var rules = (await edges.ForVersionAsync(run.PipelineVersionId, cancellationToken))?.Notifications ?? [];
        var commit = run.Variables.GetValueOrDefault(CommitVariable);
        TimeSpan? duration = subject.Stage is null && run.FinishedAt is { } finished
            ? finished - (run.StartedAt ?? run.CreatedAt)
            : null;
        var now = time.GetUtcNow();
        var deliveries = new List<NotificationDelivery>();
        foreach (var rule in rules)
        {
            if (!rule.Wants(subject.Event))
            {
                continue;
            }
            var body = rule.Format == NotificationFormat.Slack
                ? JsonSerializer.Serialize(new { text = SlackText.For(subject, run.PipelineName, commit, duration) })
                : JsonBody(subject, run.PipelineName, commit);
            deliveries.Add(NewDelivery(run, subject, rule.Name, rule.Url?.AbsoluteUri, rule.TargetSecret, null, body, now));
        }
        if (CommitStatus(run, subject, commit, duration, now) is { } status)
        {
            deliveries.Add(status);
        }
        if (deliveries.Count == 0)
        {
            return 0;
        }
        return await StoreAsync(deliveries, cancellationToken);
    }

    private async Task<int> StoreAsync(List<NotificationDelivery> deliveries, CancellationToken cancellationToken)
    {
        db.NotificationDeliveries.AddRange(deliveries);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return deliveries.Count;
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // A redelivered event: some or all of these are logged already. Store the rest one by one.
            db.ChangeTracker.Clear();
        }
        var stored = 0;
        foreach (var delivery in deliveries)
        {
            db.NotificationDeliveries.Add(delivery);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                stored++;
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
            {
                // This one was stored by the first delivery of the event.
            }
            db.ChangeTracker.Clear();
        }
        return stored;
    }

    private NotificationDelivery? CommitStatus(Run run, NotificationSubject subject, string? commit, TimeSpan? duration, DateTimeOffset now)
    {
        if (!github.Value.CommitStatuses || subject.Stage is not null
            || string.IsNullOrEmpty(commit)
            || run.Variables.GetValueOrDefault(GitHubVariables.Repository) is not { Length: > 0 } repository)
        {
            return null;
        }
        var state = subject.Event switch
        {
            NotificationEvent.Started => "pending",
            NotificationEvent.Succeeded => "success",
            NotificationEvent.Failed => "failure",
            NotificationEvent.Canceled or NotificationEvent.Superseded => "error",
            _ => null,
        };
        if (state is null)
        {
            return null;
        }
        var description = SlackText.For(subject, run.PipelineName, null, duration);
        if (description.Length > MaxStatusDescription)
        {
            description = description[..(MaxStatusDescription - 1)] + "…";
        }
        var dashboard = (github.Value.DashboardUrl is { Length: > 0 } url ? url : coordinator.Value.HttpUrl).TrimEnd('/');
        var body = JsonSerializer.Serialize(new
        {
            state,
            target_url = $"{dashboard}/#/runs/{run.Id}",
            description,
            context = $"buildfarm/{run.PipelineName}",
        });
        var endpoint = $"{github.Value.ApiBaseUrl.TrimEnd('/')}/repos/{repository}/statuses/{Uri.EscapeDataString(commit)}";
        return NewDelivery(run, subject, DeliveryStatuses.GitHubStatusTarget, endpoint, null, github.Value.TokenSecret, body, now);
    }

    private static string JsonBody(NotificationSubject subject, string pipeline, string? commit) =>
        JsonSerializer.Serialize(new
        {
            type = subject.Message.GetType().Name,
            @event = NotificationEvents.Name(subject.Event),
            pipeline,
            runId = subject.RunId,
            stage = subject.Stage,
            action = subject.Action,
            commit,
            at = subject.At,
            message = subject.Message,
        }, JsonSerializerOptions.Web);

    private static NotificationDelivery NewDelivery(
        Run run, NotificationSubject subject, string target, string? url, string? urlSecret, string? tokenSecret, string body, DateTimeOffset now) =>
        new()
        {
            Id = Guid.NewGuid(),
            PipelineName = run.PipelineName,
            RunId = run.Id,
            Target = target,
            Event = NotificationEvents.Name(subject.Event),
            Subject = subject.Describe(),
            DedupeKey = DedupeKey(run.Id, subject, target),
            Url = url,
            UrlSecret = urlSecret,
            TokenSecret = tokenSecret,
            Body = body,
            Status = DeliveryStatuses.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };

    // The event's own time is part of the key: a redelivery repeats it, a retried stage does not.
    private static string DedupeKey(Guid runId, NotificationSubject subject, string target) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{runId}\n{subject.Describe()}\n{NotificationEvents.Name(subject.Event)}\n{subject.At.UtcTicks}\n{target}")));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification for unknown run {RunId} dropped")]
    private static partial void LogUnknownRun(ILogger logger, Guid runId);
}
