using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BuildFarm.Coordinator.Persistence;

/// <summary>
/// EF logs every failed command and SaveChanges at Error before the exception reaches the caller. The farm's dedupe
/// (unique indexes, STYLE habit 4) and compare-and-sets fail by design, many times a day, and their callers catch
/// them: at Error those lines would alarm whoever reads the log. A failure nobody expected still propagates and is
/// logged where it is handled (the HTTP and gRPC pipelines, MassTransit's fault handling, the sweepers' pass).
/// </summary>
public static class DatabaseFailureLogging
{
    public static void Configure(WarningsConfigurationBuilder warnings) =>
        warnings.Log((CoreEventId.SaveChangesFailed, LogLevel.Debug), (RelationalEventId.CommandError, LogLevel.Debug));
}
