namespace BuildFarm.Coordinator.Options;

public sealed class SecretsOptions
{
    public const string SectionName = "Secrets";

    /// <summary>
    /// Base64 of a 32-byte AES key that encrypts secrets at rest. Without it the farm runs, but
    /// storing a secret is refused and a run that needs one fails saying so.
    /// </summary>
    public string? Key { get; set; }
}
