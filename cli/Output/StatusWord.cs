using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Output;

/// <summary>Run statuses as the words people type and read ("Failed"), not the proto enum names.</summary>
public static class StatusWord
{
    public static string Of(RunStatus status) => status == RunStatus.Unspecified ? "Unknown" : status.ToString();

    public static bool TryParse(string text, out RunStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && status != RunStatus.Unspecified && Enum.IsDefined(status)
        && !int.TryParse(text, out _);

    public static bool IsUnsuccessful(RunStatus status) => status is RunStatus.Failed or RunStatus.Cancelled;
}
