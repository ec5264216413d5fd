namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>A named secret, encrypted at rest (AES-GCM); its value is never returned by any API.</summary>
public sealed class Secret
{
    public required string Name { get; set; }
    public required byte[] Nonce { get; set; }
    public required byte[] Ciphertext { get; set; }
    public required byte[] Tag { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
