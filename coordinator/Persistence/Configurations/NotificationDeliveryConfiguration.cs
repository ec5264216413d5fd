using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> builder)
    {
        builder.HasKey(d => d.Id);
        builder.Property(d => d.PipelineName).HasMaxLength(200);
        builder.Property(d => d.Target).HasMaxLength(200);
        builder.Property(d => d.Event).HasMaxLength(40);
        builder.Property(d => d.Subject).HasMaxLength(600);
        builder.Property(d => d.DedupeKey).HasMaxLength(64);
        builder.Property(d => d.Url).HasMaxLength(2000);
        builder.Property(d => d.UrlSecret).HasMaxLength(200);
        builder.Property(d => d.TokenSecret).HasMaxLength(200);
        builder.Property(d => d.Status).HasMaxLength(20);
        builder.Property(d => d.LastError).HasMaxLength(2000);
        builder.HasIndex(d => d.DedupeKey).IsUnique();
        // The sender's query: due pending rows, oldest first.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        // The delivery log: a pipeline's newest first.
        builder.HasIndex(d => new { d.PipelineName, d.CreatedAt });
    }
}
