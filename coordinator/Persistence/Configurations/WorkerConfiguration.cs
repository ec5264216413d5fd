using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Coordinator.Runs.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class WorkerConfiguration : IEntityTypeConfiguration<Worker>
{
    public void Configure(EntityTypeBuilder<Worker> builder)
    {
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).HasMaxLength(200);
        builder.Property(w => w.Labels).AsJson();
        // Rows from before modes existed, and first heartbeats, are Active.
        builder.Property(w => w.Mode).HasConversion<string>().HasMaxLength(20).HasDefaultValue(WorkerMode.Active);
    }
}
