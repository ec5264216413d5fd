using System.Globalization;

namespace BuildFarm.Cli.Commands;

/// <summary>Routes `pipeline …`, `run trigger|list|show|cancel|retry|approve|reject …`, `logs …` and the rest to their command; usage errors exit 2.</summary>
public static class ServerCommands
{
    public const string Usage = """
               buildfarm pipeline apply FILE [--name N] [--label L]...   store a new version of a pipeline
                                                    --label: its jobs run only on workers with every label (Worker:Labels)
               buildfarm pipeline import FILE [--name N] [--out FILE | --apply]
                                                    an `aws codepipeline get-pipeline` JSON as a pipeline file
               buildfarm pipeline list | show NAME | delete NAME       delete: refused while a run of it is queued or running
               buildfarm run trigger PIPELINE [--var K=V]... [--revision R] [-f]   queue a run; -f|--follow: its live log, exit 1 if it fails
                                                    --revision: commit SHA, refs/heads/BRANCH, refs/tags/TAG or pr/N
               buildfarm run list [--pipeline P] [--status S] [--branch B] [--since T] [--until T] [--page-size N] [--page-token T]
                                                    T: ISO 8601 (2026-11-25T10:00Z) or an age (30m, 2h, 7d)
               buildfarm run show ID | cancel ID | retry ID
               buildfarm run stop ID [--abandon] [--reason R]    stop and wait (started actions finish), or abandon them
               buildfarm run approve|reject ID STAGE ACTION [--comment C]   decide a waiting approval action
               buildfarm logs ID [-f|--follow] [--tail N]
               buildfarm artifacts RUN [--download NAME [--out FILE|-]]   list a run's artifacts, or download one (size and sha256 checked)
               buildfarm workers [drain ID | disable ID | enable ID]   list workers; drain/disable: it claims nothing new
               buildfarm token create NAME --role R [--expires-days N]   prints the token once
               buildfarm token list | revoke ID
               (these take --server URL or BUILDFARM_SERVER, --token T or BUILDFARM_TOKEN, and --json for scripts)
        """;

    private static readonly string[] Common = ["--server", "--token"];

    /// <summary>True when <paramref name="args"/> name one of these commands (so `run FILE` keeps its old meaning).</summary>
    public static bool Handles(IReadOnlyList<string> args) => (args.ElementAtOrDefault(0), args.ElementAtOrDefault(1)) switch
    {
        ("pipeline", _) or ("logs", _) or ("token", _) or ("artifacts", _) or ("workers", _) => true,
        ("run", "trigger" or "list" or "show" or "cancel" or "retry" or "stop" or "approve" or "reject") => true,
        _ => false,
    };

    public static async Task<int> ExecuteAsync(IReadOnlyList<string> args, string? environmentServer, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken, string? environmentToken = null)
    {
        var line = CommandLine.Parse(args);
        if (line.Error is not null)
        {
            return await UsageAsync(error, line.Error);
        }

        var (context, problem) = Remote.Context(line, environmentServer, environmentToken, output, error, time);
        if (context is null)
        {
            return await UsageAsync(error, problem);
        }

        var p = line.Positionals;
        string[] Allowed(params string[] names) => [.. Common, .. names];
        var command = (p.ElementAtOrDefault(0), p.ElementAtOrDefault(1), p.Count);
        var known = command switch
        {
            ("pipeline", "apply", 3) => Allowed("--name", "--label"),
            ("pipeline", "import", 3) => Allowed("--name", "--out"),
            ("run", "trigger", 3) => Allowed("--var", "--revision"),
            ("run", "stop", 3) => Allowed("--reason"),
            ("run", "list", 2) => Allowed("--pipeline", "--status", "--branch", "--since", "--until", "--page-size", "--page-token"),
            ("run", "approve" or "reject", 5) => Allowed("--comment"),
            ("logs", _, 2) => Allowed("--tail"),
            ("artifacts", _, 2) => Allowed("--download", "--out"),
            ("token", "create", 3) => Allowed("--role", "--expires-days"),
            _ => Common,
        };
        if (line.Unknown(known).FirstOrDefault() is { } unknown)
        {
            return await UsageAsync(error, $"unknown option {unknown}");
        }

        if (!TryInt(line.Option("--page-size"), out var pageSize) || !TryInt(line.Option("--tail"), out var tail) || !TryInt(line.Option("--expires-days"), out var expiresDays))
        {
            return await UsageAsync(error, "--page-size, --tail and --expires-days take a whole number");
        }

        return command switch
        {
            ("pipeline", "apply", 3) => await PipelineApplyCommand.ExecuteAsync(context, p[2], line.Option("--name"), line.Options("--label"), cancellationToken),
            ("pipeline", "import", 3) => await PipelineImportCommand.ExecuteAsync(context, p[2], line.Option("--name"), line.Option("--out"), line.Flag("--apply"), cancellationToken),
            ("pipeline", "list", 2) => await PipelineListCommand.ExecuteAsync(context, cancellationToken),
            ("pipeline", "show", 3) => await PipelineShowCommand.ExecuteAsync(context, p[2], cancellationToken),
            ("pipeline", "delete", 3) => await PipelineDeleteCommand.ExecuteAsync(context, p[2], cancellationToken),
            ("workers", null, 1) => await WorkersCommand.ListAsync(context, cancellationToken),
            ("workers", "drain" or "disable" or "enable", 3) => await WorkersCommand.SetAsync(context, p[1], p[2], cancellationToken),
            ("run", "trigger", 3) => await RunTriggerCommand.ExecuteAsync(
                context, p[2], line.Options("--var"), cancellationToken, line.Flag("-f", "--follow"), line.Option("--revision")),
            ("run", "list", 2) => await RunListCommand.ExecuteAsync(
                context, line.Option("--pipeline"), line.Option("--status"), pageSize, line.Option("--page-token"), cancellationToken,
                line.Option("--branch"), line.Option("--since"), line.Option("--until")),
            ("run", "stop", 3) => await ExecutionCommands.StopAsync(context, p[2], line.Flag("--abandon"), line.Option("--reason"), cancellationToken),
            ("run", "approve" or "reject", 5) => await RunApprovalCommand.ExecuteAsync(context, p[1] == "approve", p[2], p[3], p[4], line.Option("--comment"), cancellationToken),
            ("run", "show", 3) => await RunShowCommand.ExecuteAsync(context, p[2], cancellationToken),
            ("run", "cancel", 3) => await RunCancelCommand.ExecuteAsync(context, p[2], cancellationToken),
            ("run", "retry", 3) => await RunRetryCommand.ExecuteAsync(context, p[2], cancellationToken),
            ("token", "create", 3) when line.Option("--role") is { } role => await TokenCommands.CreateAsync(context, p[2], role, expiresDays, cancellationToken),
            ("token", "create", 3) => await UsageAsync(error, "token create needs --role (admin, operator, viewer, trigger or worker)"),
            ("token", "list", 2) => await TokenCommands.ListAsync(context, cancellationToken),
            ("token", "revoke", 3) => await TokenCommands.RevokeAsync(context, p[2], cancellationToken),
            ("logs", _, 2) => await LogsCommand.ExecuteAsync(context, p[1], line.Flag("-f", "--follow"), tail, cancellationToken),
            ("artifacts", _, 2) when line.Option("--download") is { } name => await ArtifactsCommand.DownloadAsync(context, p[1], name, line.Option("--out"), cancellationToken),
            ("artifacts", _, 2) => await ArtifactsCommand.ListAsync(context, p[1], cancellationToken),
            _ => await UsageAsync(error, $"unknown command: {string.Join(' ', p)}"),
        };
    }

    private static bool TryInt(string? text, out int value)
    {
        value = 0;
        return text is null || int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    private static async Task<int> UsageAsync(TextWriter error, string? message)
    {
        await error.WriteLineAsync($"buildfarm: {message}");
        await error.WriteLineAsync("usage:");
        await error.WriteLineAsync(Usage);
        return 2;
    }
}
