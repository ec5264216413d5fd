using System.Text.Json;

namespace BuildFarm.Storage.Caching;

/// <summary>The entry record as the file-system and S3 stores keep it beside the manifest.</summary>
internal static class CacheEntryInfoJson
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static byte[] Serialize(CacheEntryInfo entry) => JsonSerializer.SerializeToUtf8Bytes(entry, Json);

    /// <summary>Null for an unreadable record: listing must go on past one damaged entry.</summary>
    public static CacheEntryInfo? TryDeserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<CacheEntryInfo>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
