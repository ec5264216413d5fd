using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Worker.Options;

public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Stable name of this worker; defaults to host name and process id.</summary>
    [Required]
    public string Id { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The coordinator's gRPC address, e.g. http://127.0.0.1:8081.</summary>
    [Required(ErrorMessage = "Worker:CoordinatorUrl is required (the coordinator's gRPC address, e.g. http://127.0.0.1:8081).")]
    public Uri? CoordinatorUrl { get; set; }

    /// <summary>
    /// The worker's API token (role worker), sent on every gRPC call. Needed unless the coordinator runs
    /// with Auth:Mode=None (the embedded demo). Set it through Worker__Token rather than a file in the image.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Jobs run at once.</summary>
    [Range(1, 256)]
    public int Slots { get; set; } = 1;

    /// <summary>Each job gets a fresh directory here.</summary>
    [Required]
    public string WorkRoot { get; set; } = Path.Combine(Path.GetTempPath(), "buildfarm-work");

    [Range(1, 300)]
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>Between TERM and KILL when a job is cancelled.</summary>
    [Range(0, 600)]
    public int CancelGraceSeconds { get; set; } = 10;

    /// <summary>On shutdown, how long running jobs may take to finish before <see cref="DrainTimeoutAction"/>.</summary>
    [Range(0, 86400)]
    public int DrainSeconds { get; set; } = 60;

    /// <summary>
    /// What becomes of jobs still running when the drain time is up: Cancel ends them Cancelled; HandBack
    /// stops them here and gives them back to the coordinator, which runs them again as a new attempt on
    /// another worker at once (e.g. for spot instances, where the run should survive the machine).
    /// </summary>
    [RegularExpression("^(Cancel|HandBack)$", ErrorMessage = "Worker:DrainTimeoutAction is Cancel or HandBack.")]
    public string DrainTimeoutAction { get; set; } = "Cancel";

    /// <summary>Worker runs builds; Agent runs deployments on this host (see AgentOptions).</summary>
    [RegularExpression("^(Worker|Agent)$", ErrorMessage = "Worker:Role is Worker (builds) or Agent (deployments).")]
    public string Role { get; set; } = "Worker";

    /// <summary>
    /// What this worker's host provides, as <c>runtime:version</c> (e.g. <c>java:corretto17</c>):
    /// a buildspec's <c>runtime-versions</c> that these cover run without CodeBuild's "Skipping install
    /// of runtimes" warning. Set as Worker__Labels__0, Worker__Labels__1, …
    /// </summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>
    /// How long a finished phase waits before it is reported on its own: a job that ends sooner reports it only
    /// with its result (one message instead of one per phase); a longer one's phases show up this much late.
    /// </summary>
    [Range(0, 10000)]
    public int PhaseReportDelayMilliseconds { get; set; } = 500;

    /// <summary>Keep job workspaces after the job (debugging); by default they are deleted.</summary>
    public bool KeepWorkspaces { get; set; }
}
