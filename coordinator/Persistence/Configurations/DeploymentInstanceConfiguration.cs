using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class DeploymentInstanceConfiguration : IEntityTypeConfiguration<DeploymentInstance>
{
    public void Configure(EntityTypeBuilder<DeploymentInstance> builder)
    {
        builder.HasKey(i => i.Id);
        builder.Property(i => i.InstanceName).HasMaxLength(200);
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(i => new { i.DeploymentId, i.Ordinal }).IsUnique();
        // The sweeper looks for running instances of silent agents.
        builder.HasIndex(i => new { i.Status, i.InstanceName });
        builder.Property(i => i.Events).AsJson();
    }
}
