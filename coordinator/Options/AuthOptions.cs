namespace BuildFarm.Coordinator.Options;

public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// <c>Tokens</c> (default): every endpoint needs an API token. <c>None</c>: every caller is an admin —
    /// only for the embedded demo on loopback.
    /// </summary>
    public string Mode { get; set; } = "Tokens";

    /// <summary>
    /// An admin token taken from configuration, so the first real token can be created; at least 32
    /// characters. Required in Tokens mode: the farm refuses to start without it.
    /// </summary>
    public string? BootstrapToken { get; set; }

    public bool Enabled => Mode == "Tokens";
}
