using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.Name).HasMaxLength(200);
        builder.Property(j => j.WorkerId).HasMaxLength(200);
        builder.Property(j => j.AssignedWorkerId).HasMaxLength(200);
        builder.Property(j => j.RequiredLabels!).AsJson();
        builder.Property(j => j.StageName).HasMaxLength(100);
        builder.Property(j => j.Category).HasMaxLength(20);
        builder.Property(j => j.RunOrder).HasDefaultValue(1);
        builder.Property(j => j.Revision).IsConcurrencyToken();
        builder.HasIndex(j => j.AttemptId).IsUnique();
        builder.Property(j => j.ExportedVariables!).AsJson();
        builder.Property(j => j.BatchIdentifier).HasMaxLength(128);
        builder.Property(j => j.BatchDependOn!).AsJson();
        builder.Property(j => j.BatchVariables!).AsJson();
        builder.Property(j => j.BatchBuildSpec).HasMaxLength(1024);
        // The lease sweeper scans running jobs by lease expiry.
        builder.HasIndex(j => new { j.Status, j.LeaseExpiresAt });
        // The queued-timeout sweeper scans queued jobs by deadline.
        builder.HasIndex(j => new { j.Status, j.QueuedDeadline });
        builder.HasMany(j => j.Phases).WithOne().HasForeignKey(p => p.JobId);
        builder.HasMany(j => j.Reports).WithOne().HasForeignKey(r => r.JobId);
    }
}
