using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildFarm.Coordinator.Persistence.Configurations;

internal sealed class LogChunkConfiguration : IEntityTypeConfiguration<LogChunk>
{
    public void Configure(EntityTypeBuilder<LogChunk> builder)
    {
        builder.HasKey(c => new { c.JobId, c.Seq });
        // Readers seek by byte offset.
        builder.HasIndex(c => new { c.JobId, c.Offset });
    }
}
