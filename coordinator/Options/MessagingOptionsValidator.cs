using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Options;

internal sealed class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingOptions options) =>
        options.Transport == "RabbitMq" && options.RabbitMqUri is null
            ? ValidateOptionsResult.Fail("Messaging:RabbitMqUri is required when Messaging:Transport is RabbitMq.")
            : ValidateOptionsResult.Success;
}
