using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildFarm.Core.Caching;

/// <summary>
/// A cache entry: which files, under which roots, made of which blobs. It is stored under its key
/// and never changed; the blobs it names are shared with every other entry that has the same content.
/// </summary>
/// <param name="Key">The key it is stored under.</param>
/// <param name="CreatedAt">When the save that made it began.</param>
/// <param name="Roots">Logical roots as the buildspec names them (<c>~/.gradle</c>, <c>node_modules</c>), so each job maps them to its own directories.</param>
/// <param name="ChunkSize">Files larger than this were split into chunks of this size.</param>
/// <param name="Files">Sorted by root, then path.</param>
public sealed record CacheManifest(string Key, DateTimeOffset CreatedAt, int ChunkSize, IReadOnlyList<string> Roots, IReadOnlyList<CacheManifestFile> Files)
{
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>SHA-256 of no bytes: the content id of an empty file, which has no chunks.</summary>
    public const string EmptyContentId = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public int Version { get; init; } = FormatVersion;

    /// <summary>The sum of the files' sizes, uncompressed.</summary>
    public long TotalBytes => Files.Sum(f => f.Size);

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <exception cref="InvalidDataException">Not a manifest this version can read, or a path that leaves its root.</exception>
    public static CacheManifest Deserialize(ReadOnlySpan<byte> json)
    {
        CacheManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CacheManifest>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The cache manifest is not valid JSON: {ex.Message}", ex);
        }

        if (manifest is null || manifest.Version != FormatVersion || manifest.Files is null || manifest.Roots is null)
        {
            throw new InvalidDataException("The cache manifest is empty or of another format version.");
        }

        foreach (var file in manifest.Files)
        {
            if (Problem(file, manifest.Roots.Count) is { } problem)
            {
                throw new InvalidDataException($"The cache manifest's file '{file.Path}' {problem}.");
            }
        }

        return manifest;
    }

    /// <summary>The id a worker's local blob cache keeps a whole file under.</summary>
    public static string ContentIdOf(IReadOnlyList<string> chunks)
    {
        if (chunks.Count == 0)
        {
            return EmptyContentId;
        }

        if (chunks.Count == 1)
        {
            return chunks[0];
        }

        // A many-chunk file is named by its chunk list: the chunks are verified one by one, so the
        // list pins the whole content without hashing the file a second time.
        return "m" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join('\n', chunks))))[1..];
    }

    private static string? Problem(CacheManifestFile file, int roots)
    {
        if (file.Root < 0 || file.Root >= roots)
        {
            return "has no root";
        }

        if (string.IsNullOrEmpty(file.Path) || file.Path.StartsWith('/') || file.Path.Split('/').Any(s => s is "" or "." or ".."))
        {
            return "is not a plain relative path";
        }

        if (file.Size < 0 || file.Chunks is null || (file.Size > 0 && file.Chunks.Count == 0))
        {
            return "has no content";
        }

        return file.Chunks.All(IsHash) && file.ContentId == ContentIdOf(file.Chunks) ? null : "has malformed content hashes";
    }

    /// <summary>64 lower-case hex digits.</summary>
    public static bool IsHash(string value) =>
        value.Length == 64 && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
