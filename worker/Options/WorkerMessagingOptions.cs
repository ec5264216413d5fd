using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Worker.Options;

/// <summary>The worker's view of the shared <c>Messaging</c> section.</summary>
public sealed class WorkerMessagingOptions
{
    public const string SectionName = "Messaging";

    [Required]
    [AllowedValues("RabbitMq", "InMemory")]
    public string Transport { get; set; } = "RabbitMq";

    public Uri? RabbitMqUri { get; set; }

    [Required]
    public string RunJobQueue { get; set; } = "run-job";
}
