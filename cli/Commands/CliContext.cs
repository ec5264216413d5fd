namespace BuildFarm.Cli.Commands;

/// <summary>
/// What every server command shares. Writers and clock are passed in rather than taken from Console and
/// the system clock so tests can capture the output and pin "3 min ago".
/// </summary>
public sealed record CliContext(Uri? Server, TextWriter Output, TextWriter Error, bool Json, TimeProvider Time);
