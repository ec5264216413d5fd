using BuildFarm.Core.Runs;
using BuildFarm.Worker.Jobs;
using Keys = BuildFarm.Core.Definitions.Pipelines.ActionConfigurationKeys;

namespace BuildFarm.Worker.Pipelines;

/// <summary>
/// The worker's side of a pipeline action. A source action checks the repository out and stores it as its
/// output artifact; a build or test action gets its inputs (the primary into CODEBUILD_SRC_DIR, the others
/// into CODEBUILD_SRC_DIR_&lt;name&gt;, as CodeBuild lays them out) and hands back the buildspec to run.
/// </summary>
public sealed class PipelineActionRunner(ArtifactTransfer transfer)
{
    /// <summary>The run variable a webhook sets to the commit that triggered it (CodeBuild's name).</summary>
    public const string ResolvedSourceVersion = "CODEBUILD_RESOLVED_SOURCE_VERSION";

    public async Task<ActionPreparation> PrepareAsync(ClaimedJob job, PipelineActionJob action, JobWorkspace workspace, Action<string> log, CancellationToken cancellationToken)
    {
        log($"Action {action.Stage}/{action.Name} ({action.Category})");
        try
        {
            return action.Category == "source"
                ? await CheckOutAsync(job, action, workspace, log, cancellationToken)
                : await FetchInputsAsync(job, action, workspace, log, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ActionPreparation.Finished(RunStatus.Cancelled, "cancelled");
        }
    }

    private async Task<ActionPreparation> CheckOutAsync(ClaimedJob job, PipelineActionJob action, JobWorkspace workspace, Action<string> log, CancellationToken cancellationToken)
    {
        var repository = action.Setting(Keys.Repository, "");
        var reference = job.Variables.TryGetValue(ResolvedSourceVersion, out var commit) && commit.Length > 0
            ? commit
            : action.Setting(Keys.Branch, Keys.DefaultBranch);
        var depth = int.Parse(action.Setting(Keys.CloneDepth, Keys.DefaultCloneDepth.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
        job.SecretVariables.TryGetValue(Keys.GitCredentialsVariable, out var credentials);
        string head;
        try
        {
            head = await GitCheckout.RunAsync(repository, reference, depth, action.Setting(Keys.Submodules, "false") == "true", credentials,
                workspace.Source, log, cancellationToken);
        }
        catch (GitCheckoutException ex)
        {
            log(ex.Message);
            return ActionPreparation.Finished(RunStatus.Failed, $"checkout of {repository} at {reference} failed: {ex.Message}");
        }
        log($"Checked out {repository} at {head}");
        foreach (var output in action.OutputArtifacts)
        {
            var (key, length, files) = await transfer.UploadAsync(job.Pipeline, job.RunId, output, workspace.Source, Path.Combine(workspace.Root, "artifacts-tmp"), cancellationToken);
            log($"Artifact {output}: {files} file(s), {length} bytes zipped, stored as {key}");
        }
        return ActionPreparation.Finished(RunStatus.Succeeded, null);
    }

    private async Task<ActionPreparation> FetchInputsAsync(ClaimedJob job, PipelineActionJob action, JobWorkspace workspace, Action<string> log, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(action.EnvironmentVariables, StringComparer.Ordinal);
        var temp = Path.Combine(workspace.Root, "inputs-tmp");
        for (var i = 0; i < action.InputArtifacts.Count; i++)
        {
            var name = action.InputArtifacts[i];
            var directory = i == 0 ? workspace.Source : Path.Combine(workspace.Root, "inputs", name);
            try
            {
                var key = await transfer.DownloadAsync(job.Pipeline, job.RunId, name, directory, temp, cancellationToken);
                log($"Input artifact {name}: {key} → {directory}");
            }
            catch (FileNotFoundException)
            {
                return ActionPreparation.Finished(RunStatus.Failed, $"input artifact '{name}' was not stored by the action that should produce it");
            }
            environment[$"CODEBUILD_SRC_DIR_{name}"] = directory;
        }
        var buildspec = action.Setting(Keys.BuildSpec, Keys.DefaultBuildSpec);
        var path = Path.Combine(workspace.Source, buildspec);
        if (!File.Exists(path))
        {
            return ActionPreparation.Finished(RunStatus.Failed, $"the primary input '{action.InputArtifacts.FirstOrDefault()}' has no {buildspec}");
        }
        return new ActionPreparation(null, await File.ReadAllTextAsync(path, cancellationToken), buildspec, environment);
    }
}
