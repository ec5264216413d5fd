namespace BuildFarm.Core.Triggers;

/// <summary>
/// One <c>triggers.github.push</c> filter. A branch push needs <see cref="Branches"/> (absent: any branch, unless
/// the filter names only tags) and <see cref="FilePaths"/> to pass; a tag push needs <see cref="Tags"/>.
/// </summary>
public sealed record GitPushFilter(GitPatternFilter? Branches, GitPatternFilter? Tags, GitPatternFilter? FilePaths);
