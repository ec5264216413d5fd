using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class PipelineConfiguration : IEntityTypeConfiguration<Pipeline>
{
    public void Configure(EntityTypeBuilder<Pipeline> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.LatestVersion).IsConcurrencyToken();
        builder.HasMany(p => p.Versions).WithOne().HasForeignKey(v => v.PipelineId);
    }
}
