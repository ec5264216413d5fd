using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Secrets;

/// <summary>
/// The farm's own secret store, which buildspecs' <c>parameter-store</c> and <c>secrets-manager</c>
/// entries resolve from by name. Values are AES-GCM encrypted with the name as associated data (a
/// ciphertext moved to another name does not decrypt), and only names ever leave through the API.
/// </summary>
public sealed partial class SecretStore(BuildFarmDbContext db, TimeProvider time, IOptions<SecretsOptions> options)
{
    private const int MaxValueBytes = 64 * 1024;

    public async Task PutAsync(string name, string value, CancellationToken cancellationToken)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new RequestInvalidException("name", $"Secret name '{name}' is invalid: use 1-200 of letters, digits and /_+=.@-");
        }

        var plaintext = Encoding.UTF8.GetBytes(value);
        if (plaintext.Length is 0 or > MaxValueBytes)
        {
            throw new RequestInvalidException("value", $"A secret value must be 1 to {MaxValueBytes} bytes.");
        }

        using var aes = new AesGcm(Key(), AesGcm.TagByteSizes.MaxSize);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.UTF8.GetBytes(name));
        var secret = await db.Secrets.FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (secret is null)
        {
            db.Secrets.Add(new Secret { Name = name, Nonce = nonce, Ciphertext = ciphertext, Tag = tag, UpdatedAt = time.GetUtcNow() });
        }
        else
        {
            (secret.Nonce, secret.Ciphertext, secret.Tag, secret.UpdatedAt) = (nonce, ciphertext, tag, time.GetUtcNow());
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<(string Name, DateTimeOffset UpdatedAt)>> ListAsync(CancellationToken cancellationToken) =>
        (await db.Secrets.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Name, s.UpdatedAt }).ToListAsync(cancellationToken))
            .Select(s => (s.Name, s.UpdatedAt)).ToList();

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (await db.Secrets.Where(s => s.Name == name).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw new NotFoundException("Secret", name);
        }
    }

    /// <summary>The values of the named secrets that exist; names that don't are left out.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        var rows = await db.Secrets.AsNoTracking().Where(s => names.Contains(s.Name)).ToListAsync(cancellationToken);
        using var aes = new AesGcm(Key(), AesGcm.TagByteSizes.MaxSize);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var plaintext = new byte[row.Ciphertext.Length];
            aes.Decrypt(row.Nonce, row.Ciphertext, row.Tag, plaintext, Encoding.UTF8.GetBytes(row.Name));
            values[row.Name] = Encoding.UTF8.GetString(plaintext);
        }

        return values;
    }

    private byte[] Key() =>
        string.IsNullOrEmpty(options.Value.Key)
            ? throw new ConflictException("Secrets are not available: Secrets:Key is not configured on the coordinator.")
            : Convert.FromBase64String(options.Value.Key);

    [GeneratedRegex("^[A-Za-z0-9/_+=.@-]{1,200}$")]
    private static partial Regex NamePattern();
}
