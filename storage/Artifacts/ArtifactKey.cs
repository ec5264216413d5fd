namespace BuildFarm.Storage.Artifacts;

/// <summary>Artifact keys: their layout and what makes one valid in every store.</summary>
public static class ArtifactKey
{
    /// <summary>The name of the artifact section's own zip when the buildspec gives it no <c>name</c>.</summary>
    public const string PrimaryName = "primary";

    /// <summary>Appended to a key for the checksum file the stores keep beside each artifact.</summary>
    public const string ChecksumSuffix = ".sha256";

    // S3's own limit, in UTF-8 bytes; keys are ASCII in practice, so characters are near enough.
    private const int MaxLength = 1024;

    /// <summary><c>{pipeline}/{runId}/{artifactName or "primary"}.zip</c>.</summary>
    /// <exception cref="ArgumentException">The pipeline or artifact name would make an invalid key.</exception>
    public static string For(string pipeline, Guid runId, string? artifactName)
    {
        var key = Compose(pipeline, runId, artifactName);
        Validate(key);
        return key;
    }

    public static string Compose(string pipeline, Guid runId, string? artifactName) =>
        $"{pipeline}/{runId:D}/{(string.IsNullOrEmpty(artifactName) ? PrimaryName : artifactName)}.zip";

    /// <summary>The artifact name in a key <see cref="For"/> made: its last segment without <c>.zip</c>.</summary>
    public static string NameOf(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        return name.EndsWith(".zip", StringComparison.Ordinal) ? name[..^4] : name;
    }

    /// <summary>Why <paramref name="key"/> cannot be used, or null when it can.</summary>
    public static string? Problem(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength)
        {
            return $"must be 1 to {MaxLength} characters long";
        }

        if (key.Any(c => char.IsControl(c) || c == '\\'))
        {
            return "must not contain control characters or '\\'";
        }

        // No "..", "." or hidden segments: a key must never reach outside the store's root, nor
        // collide with the stores' own dot-named working files.
        if (key.Split('/').Any(s => s.Length == 0 || s[0] == '.'))
        {
            return "must be '/'-separated names, none empty or starting with '.'";
        }

        return key.EndsWith(ChecksumSuffix, StringComparison.OrdinalIgnoreCase)
            ? $"must not end with '{ChecksumSuffix}' (reserved for checksums)"
            : null;
    }

    /// <exception cref="ArgumentException">The key is not valid.</exception>
    public static void Validate(string key)
    {
        if (Problem(key) is { } problem)
        {
            throw new ArgumentException($"Artifact key '{key}' {problem}.", nameof(key));
        }
    }
}
