using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.MessageType).HasMaxLength(300);
        builder.Property(m => m.Destination).HasMaxLength(200);
        // The dispatcher's claim query: pending rows in id order.
        builder.HasIndex(m => new { m.SentAt, m.Id });
    }
}
