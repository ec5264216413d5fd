namespace BuildFarm.Cli.Commands;

/// <summary>Where `agent install` finds systemd: this machine's, or a test's stand-in.</summary>
/// <param name="RunDirectory">Exists only while systemd is the running init (sd_booted's test).</param>
/// <param name="UnitPath">Where the unit is written.</param>
/// <param name="Systemctl">The systemctl program run to reload and enable it.</param>
public sealed record SystemdHost(string RunDirectory, string UnitPath, string Systemctl)
{
    public static SystemdHost Machine { get; } = new("/run/systemd/system", "/etc/systemd/system/buildfarm-agent.service", "systemctl");
}
