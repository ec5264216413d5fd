using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Options;

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public const int MinimumBootstrapLength = 32;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.Mode is not ("Tokens" or "None"))
        {
            return ValidateOptionsResult.Fail($"Auth:Mode must be Tokens or None, not '{options.Mode}'.");
        }

        if (options.Mode == "None")
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.BootstrapToken))
        {
            return ValidateOptionsResult.Fail(
                "Auth:BootstrapToken is required when Auth:Mode is Tokens (the default): set Auth__BootstrapToken to a random " +
                $"string of at least {MinimumBootstrapLength} characters (e.g. `openssl rand -hex 32`), or Auth:Mode=None for a local demo.");
        }

        return options.BootstrapToken.Length >= MinimumBootstrapLength
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Auth:BootstrapToken must be at least {MinimumBootstrapLength} characters long.");
    }
}
