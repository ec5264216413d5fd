using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> builder)
    {
        builder.HasKey(d => d.Id);
        builder.Property(d => d.ApplicationName).HasMaxLength(200);
        builder.Property(d => d.GroupName).HasMaxLength(200);
        builder.Property(d => d.Revision).HasMaxLength(1000);
        builder.Property(d => d.DeploymentConfig).HasMaxLength(50);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.FileExistsBehavior).HasMaxLength(20);
        builder.HasOne<DeploymentGroup>().WithMany().HasForeignKey(d => d.GroupId);
        builder.HasIndex(d => new { d.GroupId, d.CreatedAt });
        builder.HasMany(d => d.Instances).WithOne().HasForeignKey(i => i.DeploymentId);
    }
}
