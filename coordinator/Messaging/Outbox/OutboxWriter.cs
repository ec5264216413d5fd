using System.Text.Json;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Messaging.Outbox;

/// <summary>
/// Adds bus messages to the caller's DbContext so they commit with the state change in one
/// transaction. Never talks to the bus: only <see cref="OutboxDispatcher"/> does.
/// </summary>
public sealed class OutboxWriter(TimeProvider time)
{
    public void Publish<T>(BuildFarmDbContext db, T message)
        where T : class => Add(db, message, destination: null);

    public void Send<T>(BuildFarmDbContext db, T message, string queue)
        where T : class => Add(db, message, queue);

    private void Add<T>(BuildFarmDbContext db, T message, string? destination)
        where T : class =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            MessageType = typeof(T).FullName!,
            Payload = JsonSerializer.Serialize(message, MessageTypes.Json),
            Destination = destination,
            CreatedAt = time.GetUtcNow(),
        });
}
