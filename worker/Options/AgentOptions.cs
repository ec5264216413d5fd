using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Worker.Options;

/// <summary>The deploy agent role (Worker:Role = Agent): which server this is and where it keeps its state.</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>The instance name deployments and the history show; the host name by default.</summary>
    [Required]
    [StringLength(200, MinimumLength = 1)]
    public string InstanceName { get; set; } = Environment.MachineName;

    /// <summary>Shorthand for the tag deployment-group=NAME (what `buildfarm agent --group NAME` sets).</summary>
    public string? Group { get; set; }

    /// <summary>Tags deployment groups select instances by.</summary>
    public Dictionary<string, string> Tags { get; set; } = [];

    /// <summary>Maps every absolute path (files destinations, permissions, the state directory) under this prefix, so several agents can share a machine.</summary>
    public string? Root { get; set; }

    /// <summary>Revisions, the installed-files list and the last successful revision, CodeDeploy-style (under <see cref="Root"/>).</summary>
    [Required]
    public string StateDirectory { get; set; } = "/opt/buildfarm-agent";

    /// <summary>Between TERM and KILL when a hook overruns its timeout or the deployment is stopped.</summary>
    [Range(0, 600)]
    public int HookKillGraceSeconds { get; set; } = 5;

    /// <summary>The tags the agent registers: <see cref="Tags"/> plus deployment-group from <see cref="Group"/>.</summary>
    public IReadOnlyDictionary<string, string> EffectiveTags()
    {
        var tags = new Dictionary<string, string>(Tags, StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(Group))
        {
            tags["deployment-group"] = Group;
        }
        return tags;
    }
}
