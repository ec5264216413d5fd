using System.Net.Http.Headers;
using System.Text;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Coordinator.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Notifications;

/// <summary>
/// Posts due deliveries and records each outcome: 2xx is Delivered; anything else is tried again after a
/// doubling backoff until <see cref="NotificationOptions.MaxAttempts"/>, then Failed. A short lease on the row
/// (a compare-and-set both providers support) keeps two coordinators from posting one delivery at once.
/// </summary>
public sealed partial class NotificationSender(
    IServiceScopeFactory scopes,
    IHttpClientFactory httpClients,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<NotificationSender> logger) : BackgroundService
{
    public const string HttpClientName = "notifications";
    private const int BatchSize = 20;
    private const int MaxErrorLength = 2000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WaitForStartAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds), time);
        do
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away; the next tick tries again.
                LogPassFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Sends up to one batch of due deliveries; returns how many were attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var secrets = scope.ServiceProvider.GetRequiredService<SecretStore>();
        var now = time.GetUtcNow();
        var due = await db.NotificationDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatuses.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var attempted = 0;
        foreach (var id in due)
        {
            var leaseUntil = now.AddSeconds(options.Value.TimeoutSeconds * 2 + 5);
            var claimed = await db.NotificationDeliveries
                .Where(d => d.Id == id && d.Status == DeliveryStatuses.Pending && (d.LeaseUntil == null || d.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, leaseUntil), cancellationToken);
            if (claimed == 0)
            {
                continue; // another coordinator has it
            }
            var delivery = await db.NotificationDeliveries.FirstAsync(d => d.Id == id, cancellationToken);
            await AttemptAsync(db, secrets, delivery, cancellationToken);
            attempted++;
        }
        return attempted;
    }

    private async Task AttemptAsync(BuildFarmDbContext db, SecretStore secrets, NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Target == DeliveryStatuses.GitHubStatusTarget
            && await db.NotificationDeliveries.AnyAsync(d => d.RunId == delivery.RunId && d.Target == delivery.Target
                && d.Status == DeliveryStatuses.Delivered && d.CreatedAt > delivery.CreatedAt, cancellationToken))
        {
            // A later status (say success) reached GitHub already: a late "pending" retry would overwrite it.
            delivery.Status = DeliveryStatuses.Skipped;
            delivery.LeaseUntil = null;
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        delivery.Attempts++;
        var (statusCode, error) = await PostAsync(secrets, delivery, cancellationToken);
        var now = time.GetUtcNow();
        delivery.LastStatusCode = statusCode;
        delivery.LeaseUntil = null;
        if (error is null)
        {
            delivery.Status = DeliveryStatuses.Delivered;
            delivery.DeliveredAt = now;
            delivery.LastError = null;
        }
        else
        {
            delivery.LastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
            if (delivery.Attempts >= options.Value.MaxAttempts)
            {
                delivery.Status = DeliveryStatuses.Failed;
                LogGaveUp(logger, delivery.Target, delivery.RunId, delivery.Attempts, error);
            }
            else
            {
                delivery.NextAttemptAt = now + Backoff(delivery.Attempts);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private TimeSpan Backoff(int failures)
    {
        var initial = TimeSpan.FromMilliseconds(options.Value.InitialBackoffMilliseconds);
        var doubled = initial * Math.Pow(2, Math.Min(failures - 1, 20));
        var max = TimeSpan.FromSeconds(options.Value.MaxBackoffSeconds);
        return doubled < max ? doubled : max;
    }

    private async Task<(int? StatusCode, string? Error)> PostAsync(SecretStore secrets, NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var names = new List<string>(2);
        if (delivery.UrlSecret is { } urlSecret)
        {
            names.Add(urlSecret);
        }
        if (delivery.TokenSecret is { } tokenSecret)
        {
            names.Add(tokenSecret);
        }
        var values = await secrets.ResolveAsync(names, cancellationToken);
        var url = delivery.Url ?? values.GetValueOrDefault(delivery.UrlSecret!);
        if (url is null)
        {
            return (null, $"The secret '{delivery.UrlSecret}' holding the target URL does not exist.");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
        {
            return (null, "The target URL is not an absolute http or https URL.");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("BuildFarm", "1.0"));
        if (delivery.TokenSecret is not null)
        {
            if (values.GetValueOrDefault(delivery.TokenSecret) is not { } token)
            {
                return (null, $"The secret '{delivery.TokenSecret}' holding the GitHub token does not exist.");
            }
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode
                ? ((int)response.StatusCode, null)
                : ((int)response.StatusCode, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (HttpRequestException ex)
        {
            // Connection refused, DNS, TLS: the target may come back, so it is retried like a 5xx.
            return (null, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"No answer within {options.Value.TimeoutSeconds} s.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification to {Target} for run {RunId} failed after {Attempts} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string target, Guid runId, int attempts, string error);
}
