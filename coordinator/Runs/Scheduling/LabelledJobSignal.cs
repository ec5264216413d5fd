using BuildFarm.Coordinator.Messaging;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>Wakes <see cref="LabelledJobAssigner"/> when a job that needs labels is queued, so it is not left to the poll.</summary>
public sealed class LabelledJobSignal : WakeSignal;
