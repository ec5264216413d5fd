using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class DeployApplicationConfiguration : IEntityTypeConfiguration<DeployApplication>
{
    public void Configure(EntityTypeBuilder<DeployApplication> builder)
    {
        builder.HasKey(a => a.Name);
        builder.Property(a => a.Name).HasMaxLength(200);
    }
}
