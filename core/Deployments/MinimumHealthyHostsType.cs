namespace BuildFarm.Core.Deployments;

/// <summary>How a deployment configuration states its minimum healthy hosts, as CodeDeploy's API does.</summary>
public enum MinimumHealthyHostsType
{
    /// <summary>A number of instances.</summary>
    HostCount,

    /// <summary>A percentage of the group's instances, rounded up.</summary>
    FleetPercent,
}
