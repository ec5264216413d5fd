using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class DeploymentGroupConfiguration : IEntityTypeConfiguration<DeploymentGroup>
{
    public void Configure(EntityTypeBuilder<DeploymentGroup> builder)
    {
        builder.HasKey(g => g.Id);
        builder.Property(g => g.ApplicationName).HasMaxLength(200);
        builder.Property(g => g.Name).HasMaxLength(200);
        builder.HasIndex(g => new { g.ApplicationName, g.Name }).IsUnique();
        builder.HasOne<DeployApplication>().WithMany().HasForeignKey(g => g.ApplicationName);
        builder.Property(g => g.DeploymentConfig).HasMaxLength(50);
        builder.Property(g => g.TagFilters).AsJson();
        builder.Property(g => g.InstanceNames).AsJson();
        builder.Property(g => g.LastSuccessfulRevision).HasMaxLength(1000);
    }
}
