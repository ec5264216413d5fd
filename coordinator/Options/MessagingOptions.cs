using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Coordinator.Options;

public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>RabbitMq for the distributed farm; InMemory for the embedded one.</summary>
    [Required]
    [AllowedValues("RabbitMq", "InMemory")]
    public string Transport { get; set; } = "RabbitMq";

    /// <summary>amqp://user:pass@host:port/vhost; required with RabbitMq.</summary>
    public Uri? RabbitMqUri { get; set; }

    /// <summary>The queue workers take <c>RunJob</c> commands from.</summary>
    [Required]
    public string RunJobQueue { get; set; } = "run-job";
}
