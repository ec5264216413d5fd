namespace BuildFarm.Cli.Commands;

/// <summary>
/// What every server command shares. Writers and clock are passed in rather than taken from Console and
/// the system clock so tests can capture the output and pin "3 min ago".
/// </summary>
/// <param name="Server">The coordinator's gRPC URL (--server or BUILDFARM_SERVER).</param>
/// <param name="Output">Where results go (stdout).</param>
/// <param name="Error">Where diagnostics go (stderr).</param>
/// <param name="Json">--json: machine-readable output.</param>
/// <param name="Time">The clock relative times are computed against.</param>
/// <param name="Token">The API token sent with every call (--token or BUILDFARM_TOKEN); null against a farm without auth.</param>
public sealed record CliContext(Uri? Server, TextWriter Output, TextWriter Error, bool Json, TimeProvider Time, string? Token = null);
