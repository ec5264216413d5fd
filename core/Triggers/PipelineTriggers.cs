namespace BuildFarm.Core.Triggers;

/// <summary>A pipeline file's <c>triggers</c> section.</summary>
/// <param name="GitHub">Webhook filters; null keeps the webhook's unfiltered behaviour.</param>
/// <param name="Schedule">A 5-field cron expression in UTC, already validated; null when not scheduled.</param>
public sealed record PipelineTriggers(GitHubTriggers? GitHub, CronSchedule? Schedule);
