using System.Globalization;

namespace BuildFarm.Core.Deployments;

/// <summary>
/// A CodeDeploy deployment configuration: how many instances must stay healthy while a revision rolls out.
/// The three built-in ones keep CodeDeploy's special cases (see <see cref="DeploymentRollout"/>).
/// </summary>
public sealed record DeploymentConfig(string Name, MinimumHealthyHostsType Type, int Value, bool IsBuiltIn)
{
    public static readonly DeploymentConfig OneAtATime = new("OneAtATime", MinimumHealthyHostsType.HostCount, -1, true);
    public static readonly DeploymentConfig HalfAtATime = new("HalfAtATime", MinimumHealthyHostsType.FleetPercent, 50, true);
    public static readonly DeploymentConfig AllAtOnce = new("AllAtOnce", MinimumHealthyHostsType.HostCount, 0, true);

    /// <summary>
    /// A configuration by name: <c>OneAtATime</c>, <c>HalfAtATime</c>, <c>AllAtOnce</c> (with or without
    /// <c>CodeDeployDefault.</c>), or a custom minimum: <c>HOST_COUNT:2</c>, <c>FLEET_PERCENT:75</c> (also <c>2</c> and <c>75%</c>).
    /// </summary>
    public static bool TryParse(string? text, out DeploymentConfig config, out string error)
    {
        error = "";
        var name = (text ?? "").Trim();
        if (name.StartsWith("CodeDeployDefault.", StringComparison.Ordinal))
        {
            name = name["CodeDeployDefault.".Length..];
        }
        config = name switch
        {
            "" or "OneAtATime" => OneAtATime,
            "HalfAtATime" => HalfAtATime,
            "AllAtOnce" => AllAtOnce,
            _ => null!,
        };
        if (config is not null)
        {
            return true;
        }

        var (type, number) = name switch
        {
            _ when name.StartsWith("HOST_COUNT:", StringComparison.Ordinal) => (MinimumHealthyHostsType.HostCount, name["HOST_COUNT:".Length..]),
            _ when name.StartsWith("FLEET_PERCENT:", StringComparison.Ordinal) => (MinimumHealthyHostsType.FleetPercent, name["FLEET_PERCENT:".Length..]),
            _ when name.EndsWith('%') => (MinimumHealthyHostsType.FleetPercent, name[..^1]),
            _ => (MinimumHealthyHostsType.HostCount, name),
        };
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || (type == MinimumHealthyHostsType.FleetPercent && value > 99))
        {
            error = $"Unknown deployment configuration '{text}': use OneAtATime, HalfAtATime, AllAtOnce, HOST_COUNT:N or FLEET_PERCENT:P (0-99).";
            return false;
        }
        config = new DeploymentConfig(type == MinimumHealthyHostsType.HostCount ? $"HOST_COUNT:{value}" : $"FLEET_PERCENT:{value}", type, value, false);
        return true;
    }

    /// <summary>Instances that must stay healthy in a group of <paramref name="instances"/>; percentages round up.</summary>
    public int MinimumHealthy(int instances)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instances);
        if (this == OneAtATime)
        {
            // One instance may be offline at a time; on a one-instance group that one must still succeed.
            return Math.Max(instances - 1, 0);
        }
        return Type == MinimumHealthyHostsType.HostCount
            ? Value
            : (int)Math.Ceiling(instances * Value / 100.0);
    }
}
