using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class PhaseConfiguration : IEntityTypeConfiguration<Phase>
{
    public void Configure(EntityTypeBuilder<Phase> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.HasIndex(p => new { p.JobId, p.AttemptId, p.Name }).IsUnique();
    }
}
