using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Deployments;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Deployments;

/// <summary>Applications and deployment groups: create or update, read.</summary>
public sealed class DeploymentCatalog(BuildFarmDbContext db, TimeProvider time)
{
    public async Task<DeployApplication> PutApplicationAsync(string name, CancellationToken cancellationToken)
    {
        ValidateName(name, "application");
        var application = await db.DeployApplications.FirstOrDefaultAsync(a => a.Name == name, cancellationToken);
        if (application is not null)
        {
            return application;
        }
        application = new DeployApplication { Name = name, CreatedAt = time.GetUtcNow() };
        db.DeployApplications.Add(application);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // Created by a concurrent call with the same name: the same outcome.
            db.ChangeTracker.Clear();
        }
        return application;
    }

    public async Task<DeploymentGroup> PutGroupAsync(string application, string name, DeploymentGroupSpec spec, CancellationToken cancellationToken)
    {
        ValidateName(name, "deployment group");
        if (!DeploymentConfig.TryParse(spec.DeploymentConfig, out var config, out var error))
        {
            throw new RequestInvalidException("deploymentConfig", error);
        }
        if (!await db.DeployApplications.AnyAsync(a => a.Name == application, cancellationToken))
        {
            throw new NotFoundException("Application", application);
        }
        var tags = new Dictionary<string, string>(spec.TagFilters ?? new Dictionary<string, string>());
        var instances = spec.InstanceNames?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() ?? [];
        if (tags.Count == 0 && instances.Count == 0)
        {
            // The agent's --group NAME registers this tag, so a group defined by name alone just works.
            tags["deployment-group"] = name;
        }
        var group = await db.DeploymentGroups.FirstOrDefaultAsync(g => g.ApplicationName == application && g.Name == name, cancellationToken);
        if (group is null)
        {
            group = new DeploymentGroup { Id = Guid.NewGuid(), ApplicationName = application, Name = name, DeploymentConfig = config.Name, CreatedAt = time.GetUtcNow() };
            db.DeploymentGroups.Add(group);
        }
        group.TagFilters = tags;
        group.InstanceNames = instances;
        group.DeploymentConfig = config.Name;
        group.AutoRollback = spec.AutoRollback;
        group.IgnoreApplicationStopFailures = spec.IgnoreApplicationStopFailures;
        await db.SaveChangesAsync(cancellationToken);
        return group;
    }

    public async Task<DeploymentGroup> GetGroupAsync(string application, string name, CancellationToken cancellationToken) =>
        await db.DeploymentGroups.AsNoTracking().FirstOrDefaultAsync(g => g.ApplicationName == application && g.Name == name, cancellationToken)
        ?? throw new NotFoundException("Deployment group", $"{application}/{name}");

    public Task<List<DeploymentGroup>> ListGroupsAsync(string application, CancellationToken cancellationToken) =>
        db.DeploymentGroups.AsNoTracking().Where(g => g.ApplicationName == application).OrderBy(g => g.Name).ToListAsync(cancellationToken);

    private static void ValidateName(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200 || name.Any(char.IsControl))
        {
            throw new RequestInvalidException("name", $"The {what} name must be 1 to 200 printable characters.");
        }
    }
}
