using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class PipelineVersionConfiguration : IEntityTypeConfiguration<PipelineVersion>
{
    public void Configure(EntityTypeBuilder<PipelineVersion> builder)
    {
        builder.HasKey(v => v.Id);
        builder.HasIndex(v => new { v.PipelineId, v.Version }).IsUnique();
        builder.Property(v => v.FileName).HasMaxLength(200);
        builder.Property(v => v.Labels).AsJson();
    }
}
