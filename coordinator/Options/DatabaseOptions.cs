using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Coordinator.Options;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Postgres for the distributed farm; Sqlite for the embedded one.</summary>
    [Required]
    [AllowedValues("Postgres", "Sqlite")]
    public string Provider { get; set; } = "Postgres";

    [Required(ErrorMessage = "Database:ConnectionString is required (e.g. Host=127.0.0.1;Username=postgres;Database=buildfarm).")]
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations at start; otherwise run `buildfarm coordinator migrate`.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
