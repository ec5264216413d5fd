using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class DeployAgentConfiguration : IEntityTypeConfiguration<DeployAgent>
{
    public void Configure(EntityTypeBuilder<DeployAgent> builder)
    {
        builder.HasKey(a => a.InstanceName);
        builder.Property(a => a.InstanceName).HasMaxLength(200);
        builder.Property(a => a.Os).HasMaxLength(20);
        builder.Property(a => a.Root).HasMaxLength(1000);
        builder.Property(a => a.Tags).AsJson();
    }
}
