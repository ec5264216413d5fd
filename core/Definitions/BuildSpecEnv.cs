namespace BuildFarm.Core.Definitions;

/// <summary>The buildspec's <c>env</c> section.</summary>
public sealed record BuildSpecEnv(
    string? Shell,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyDictionary<string, string> ParameterStore,
    IReadOnlyDictionary<string, string> SecretsManager,
    IReadOnlyList<string> ExportedVariables)
{
    public static readonly BuildSpecEnv Empty = new(
        null,
        new Dictionary<string, string>(),
        new Dictionary<string, string>(),
        new Dictionary<string, string>(),
        []);

    /// <summary><c>git-credential-helper</c>: whether git may use the build's source credentials.</summary>
    public bool GitCredentialHelper { get; init; }
}
