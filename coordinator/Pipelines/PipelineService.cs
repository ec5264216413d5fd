using System.Text.RegularExpressions;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Pipelines;

/// <summary>Validates and stores pipeline definitions; every change is a new immutable version.</summary>
public sealed partial class PipelineService(BuildFarmDbContext db, TimeProvider time, IOptions<CoordinatorOptions> options)
{
    private const int MaxAttempts = 5;

    private static readonly Core.Runs.RunStatus[] FinalStatuses =
        [Core.Runs.RunStatus.Succeeded, Core.Runs.RunStatus.Failed, Core.Runs.RunStatus.Cancelled, Core.Runs.RunStatus.Superseded];

    public Task<PipelineVersion> ApplyAsync(string name, string definition, string? fileName, CancellationToken cancellationToken) =>
        ApplyAsync(name, definition, fileName, PipelineVersionSettings.Defaults, cancellationToken);

    /// <summary>Stores a new version with its own timeouts (null: CodeBuild's defaults) and the worker labels its jobs need.</summary>
    public async Task<PipelineVersion> ApplyAsync(string name, string definition, string? fileName, PipelineVersionSettings settings, CancellationToken cancellationToken)
    {
        ValidateName(name);
        if (BuildTimeouts.CheckBuild(settings.TimeoutInMinutes) is { } buildProblem)
        {
            throw new RequestInvalidException("timeoutInMinutes", buildProblem);
        }

        if (BuildTimeouts.CheckQueued(settings.QueuedTimeoutInMinutes) is { } queuedProblem)
        {
            throw new RequestInvalidException("queuedTimeoutInMinutes", queuedProblem);
        }

        if (WorkerLabels.Check(settings.Labels ?? []) is { } labelsProblem)
        {
            throw new RequestInvalidException("labels", labelsProblem);
        }

        // Without a name the content decides: a top-level 'stages' is a pipeline file, anything else a buildspec.
        fileName = string.IsNullOrWhiteSpace(fileName)
            ? DefinitionFileKinds.Detect("", definition) == DefinitionFileKind.Pipeline ? "pipeline.yml" : "buildspec.yml"
            : fileName;
        if (System.Text.Encoding.UTF8.GetByteCount(definition) > options.Value.MaxDefinitionBytes)
        {
            throw new RequestInvalidException("definition", $"The definition is larger than {options.Value.MaxDefinitionBytes} bytes.");
        }

        // Refused definitions never reach the database, so nothing stored changes.
        switch (DefinitionFileKinds.Detect(fileName, definition))
        {
            case DefinitionFileKind.Pipeline:
                PipelineFileParser.Parse(definition, fileName).GetDefinitionOrThrow();
                break;
            case DefinitionFileKind.AppSpec:
                throw new RequestInvalidException("definition", $"'{fileName}' is an appspec (a deployment revision's file), not a pipeline; store a buildspec or a pipeline file.");
            default:
                // A batch runs as one job per member; a member naming a buildspec file has no source to read it from here.
                if (BuildSpecParser.Parse(definition, fileName).GetSpecOrThrow().Batch is { } batch)
                {
                    Runs.Batches.BatchRunPlanner.CheckSources(batch, fileName);
                }
                break;
        }
        // A buildspec may carry triggers and notifications too; a pipeline file's were checked above with the rest.
        PipelineEdgesParser.Parse(definition, fileName).ThrowIfInvalid();

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StoreNewVersionAsync(name, definition, fileName, settings, cancellationToken);
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && (UniqueViolation.Is(ex) || ex is DbUpdateConcurrencyException))
            {
                // Another apply of the same pipeline won the race for this version number: take the next one.
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task<(Pipeline Pipeline, PipelineVersion Version)> GetAsync(string name, int version, CancellationToken cancellationToken)
    {
        var pipeline = await db.Pipelines.AsNoTracking().FirstOrDefaultAsync(p => p.Name == name && p.DeletedAt == null, cancellationToken)
            ?? throw new NotFoundException("Pipeline", name);
        var wanted = version <= 0 ? pipeline.LatestVersion : version;
        var stored = await db.PipelineVersions.AsNoTracking()
            .FirstOrDefaultAsync(v => v.PipelineId == pipeline.Id && v.Version == wanted, cancellationToken)
            ?? throw new NotFoundException("Pipeline version", $"{name}@{wanted}");
        return (pipeline, stored);
    }

    public async Task<IReadOnlyList<(Pipeline Pipeline, PipelineVersion Version)>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Pipelines.AsNoTracking()
            .Where(p => p.DeletedAt == null)
            .OrderBy(p => p.Name)
            .Join(db.PipelineVersions.AsNoTracking(),
                p => new { Id = p.Id, Version = p.LatestVersion },
                v => new { Id = v.PipelineId, v.Version },
                (p, v) => new { p, v })
            .Take(1000)
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.p, r.v)).ToList();
    }

    /// <summary>
    /// Deletes a pipeline: it leaves lists and cannot be triggered; its runs, logs and artifacts stay readable.
    /// </summary>
    /// <exception cref="NotFoundException">No such pipeline.</exception>
    /// <exception cref="ConflictException">A run of it is queued or running.</exception>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var pipeline = await db.Pipelines.FirstOrDefaultAsync(p => p.Name == name && p.DeletedAt == null, cancellationToken)
            ?? throw new NotFoundException("Pipeline", name);
        var active = await db.Runs.AsNoTracking()
            .Where(r => r.PipelineId == pipeline.Id && !FinalStatuses.Contains(r.Status))
            .OrderBy(r => r.CreatedAt)
            .Select(r => new { r.Id, r.Status })
            .FirstOrDefaultAsync(cancellationToken);
        if (active is not null)
        {
            throw new ConflictException(
                $"Pipeline '{name}' has a run that is {active.Status} (run {active.Id}): cancel it or let it finish, then delete the pipeline.");
        }

        // LatestVersion is a concurrency token, checked on this update too: an apply racing the delete makes it fail rather than vanish.
        pipeline.DeletedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<PipelineVersion> StoreNewVersionAsync(string name, string definition, string fileName, PipelineVersionSettings settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pipeline = await db.Pipelines.FirstOrDefaultAsync(p => p.Name == name, cancellationToken);
        if (pipeline is null)
        {
            pipeline = new Pipeline { Id = Guid.NewGuid(), Name = name, CreatedAt = now };
            db.Pipelines.Add(pipeline);
        }

        // Applying a deleted pipeline's name brings it back; version numbers go on from where they were.
        pipeline.DeletedAt = null;
        pipeline.LatestVersion++;
        var version = new PipelineVersion
        {
            Id = Guid.NewGuid(),
            PipelineId = pipeline.Id,
            Version = pipeline.LatestVersion,
            FileName = fileName,
            Definition = definition,
            CreatedAt = now,
            TimeoutInMinutes = settings.TimeoutInMinutes,
            QueuedTimeoutInMinutes = settings.QueuedTimeoutInMinutes,
            Labels = [.. settings.Labels ?? []],
        };
        db.PipelineVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        return version;
    }

    private static void ValidateName(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new RequestInvalidException(
                "name",
                $"Pipeline name '{name}' is invalid: use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();
}
