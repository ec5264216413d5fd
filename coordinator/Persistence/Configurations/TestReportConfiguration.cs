using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class TestReportConfiguration : IEntityTypeConfiguration<TestReport>
{
    public void Configure(EntityTypeBuilder<TestReport> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ReportGroup).HasMaxLength(200);
        // One row per group and attempt: a redelivered JobCompleted cannot add it twice.
        builder.HasIndex(r => new { r.JobId, r.AttemptId, r.ReportGroup }).IsUnique();
    }
}
