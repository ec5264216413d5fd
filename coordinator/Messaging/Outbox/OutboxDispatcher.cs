using System.Text.Json;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Messaging.Outbox;

/// <summary>
/// Sends committed outbox rows to the bus and marks them sent. On PostgreSQL rows are claimed with
/// FOR UPDATE SKIP LOCKED, so several coordinators never send one row twice; the embedded SQLite
/// farm has a single dispatcher. A row is marked sent only after the broker confirmed it, so a
/// crash in between re-sends it (at-least-once; every consumer deduplicates).
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    Metrics.FarmMetrics metrics,
    TimeProvider time,
    IOptions<SchedulingOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.OutboxPollMilliseconds);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await DispatchBatchAsync(stoppingToken);
                failures = 0;
                if (sent == BatchSize)
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Broker or database away: keep the rows and back off; they go out when both are back.
                failures++;
                LogDispatchFailed(logger, ex, failures);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * (1 << Math.Min(failures, 6)))), time, stoppingToken);
                continue;
            }

            await signal.WaitAsync(poll, stoppingToken);
        }
    }

    /// <summary>Sends one batch; returns how many rows went out.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        if (!db.SupportsSkipLocked)
        {
            // Embedded SQLite has one dispatcher and one writer at a time: holding its write lock
            // while the bus confirms would stall every other writer, so read, send, then mark.
            var pending = await db.OutboxMessages.AsNoTracking().Where(m => m.SentAt == null).OrderBy(m => m.Id).Take(BatchSize)
                .ToListAsync(cancellationToken);
            var sentAt = await SendAndMarkAsync(db, pending, cancellationToken);
            RecordLag(pending, sentAt);
            return pending.Count;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await db.OutboxMessages
            .FromSql($"""SELECT * FROM "OutboxMessages" WHERE "SentAt" IS NULL ORDER BY "Id" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED""")
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        var sent = await SendAndMarkAsync(db, rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        RecordLag(rows, sent);
        return rows.Count;
    }

    // Counted once the rows are marked for good (after the commit), never for a batch that will go out again.
    private void RecordLag(List<OutboxMessage> rows, DateTimeOffset sentAt)
    {
        foreach (var row in rows)
        {
            metrics.OutboxSent(sentAt - row.CreatedAt);
        }
    }

    /// <summary>Sends the rows and marks them sent; returns the time they were marked with.</summary>
    private async Task<DateTimeOffset> SendAndMarkAsync(BuildFarmDbContext db, List<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (rows.Count == 0)
        {
            return now;
        }

        await Task.WhenAll(rows.Select(row => SendAsync(row, cancellationToken)));
        now = time.GetUtcNow();
        // One statement for the batch rather than an UPDATE per row through the change tracker.
        var ids = rows.Select(r => r.Id).ToList();
        await db.OutboxMessages.Where(m => ids.Contains(m.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, now).SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
        LogDispatched(logger, rows.Count);
        return now;
    }

    private async Task SendAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        var type = MessageTypes.Resolve(row.MessageType);
        var message = JsonSerializer.Deserialize(row.Payload, type, MessageTypes.Json)
            ?? throw new InvalidOperationException($"Outbox row {row.Id} has an empty payload.");
        if (row.Destination is null)
        {
            await bus.Publish(message, type, cancellationToken);
        }
        else
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{row.Destination}"));
            await endpoint.Send(message, type, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox dispatched {Count} message(s)")]
    private static partial void LogDispatched(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch failed ({Failures} in a row); retrying")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, int failures);
}
