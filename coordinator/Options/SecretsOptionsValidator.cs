using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Options;

internal sealed class SecretsOptionsValidator : IValidateOptions<SecretsOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretsOptions options)
    {
        if (string.IsNullOrEmpty(options.Key))
        {
            return ValidateOptionsResult.Success;
        }

        Span<byte> key = stackalloc byte[64];
        return Convert.TryFromBase64String(options.Key, key, out var length) && length == 32
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Secrets:Key must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`).");
    }
}
