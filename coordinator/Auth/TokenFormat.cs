using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace BuildFarm.Coordinator.Auth;

/// <summary>
/// <c>bf_&lt;id&gt;_&lt;secret&gt;</c>: the id (32 hex) finds the row, the secret (43 base64url chars, 256 random
/// bits) is checked against its stored SHA-256. The prefix lets secret scanners recognise a leaked token.
/// </summary>
public static class TokenFormat
{
    private const string Prefix = "bf_";

    public static (string Token, byte[] SecretHash) Create(Guid id)
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{id:N}_{secret}", Hash(secret));
    }

    public static bool TryParse(string token, out Guid id, [NotNullWhen(true)] out string? secret)
    {
        id = Guid.Empty;
        secret = null;
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length != Prefix.Length + 32 + 1 + 43 || token[Prefix.Length + 32] != '_')
        {
            return false;
        }

        if (!Guid.TryParseExact(token.AsSpan(Prefix.Length, 32), "N", out id))
        {
            return false;
        }

        secret = token[(Prefix.Length + 33)..];
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Equal in constant time, so response timing does not reveal how much of a guess was right.</summary>
    public static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Hash(presented), Hash(expected));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
