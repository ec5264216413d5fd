namespace BuildFarm.Coordinator.Messaging.Outbox;

/// <summary>Wakes the dispatcher right after a commit, so dispatch latency is not the poll interval.</summary>
public sealed class OutboxSignal : WakeSignal;
