using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm deploy …` over the coordinator's admin HTTP API (--http URL or BUILDFARM_HTTP, --token or BUILDFARM_TOKEN):
/// define groups, deploy a revision and follow it instance by instance and event by event, show, stop.
/// </summary>
public static class DeployCommands
{
    public const string Usage = """
               buildfarm deploy group APP GROUP [--tag K=V]... [--instance NAME]... [--config C] [--auto-rollback true]
               buildfarm deploy REVISION --application APP --group GROUP [--config C] [--file-exists-behavior B]
                                 [--ignore-stop-failures true]      deploy and follow; exit 1 when it fails
               buildfarm deploy show ID | stop ID [--rollback true]
               (these take --http URL or BUILDFARM_HTTP: the coordinator's admin HTTP address)
        """;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<int> ExecuteAsync(CommandLine line, string? environmentHttp, string? environmentToken, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var p = line.Positionals;
        var baseUrl = line.Option("--http") ?? environmentHttp ?? "http://127.0.0.1:8080";
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        if ((line.Option("--token") ?? environmentToken) is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        try
        {
            switch (p.Count >= 2 ? p[1] : null)
            {
                case "group" when p.Count == 4:
                    await SendAsync(http, HttpMethod.Put, $"/api/applications/{Uri.EscapeDataString(p[2])}", new { }, cancellationToken);
                    var tags = line.Options("--tag").Select(t => t.Split('=', 2)).Where(t => t.Length == 2).ToDictionary(t => t[0], t => t[1]);
                    var group = await SendAsync(http, HttpMethod.Put, $"/api/applications/{Uri.EscapeDataString(p[2])}/groups/{Uri.EscapeDataString(p[3])}", new
                    {
                        tagFilters = tags,
                        instanceNames = line.Options("--instance"),
                        deploymentConfig = line.Option("--config"),
                        autoRollback = line.Option("--auto-rollback") == "true",
                    }, cancellationToken);
                    await output.WriteLineAsync($"group {p[2]}/{p[3]}: {group.GetProperty("deploymentConfig").GetString()}, tags {JsonSerializer.Serialize(group.GetProperty("tagFilters"))}");
                    return 0;
                case "show" when p.Count == 3:
                    return Print(await GetAsync(http, p[2], cancellationToken), output);
                case "stop" when p.Count == 3:
                    return Print(await SendAsync(http, HttpMethod.Post, $"/api/deployments/{Uri.EscapeDataString(p[2])}/stop?rollback={line.Option("--rollback") == "true"}", new { }, cancellationToken), output);
                case { } revision when p.Count == 2 && line.Option("--application") is { } application && line.Option("--group") is { } groupName:
                    var created = await SendAsync(http, HttpMethod.Post, "/api/deployments", new
                    {
                        application,
                        group = groupName,
                        revision = revision.StartsWith('.') ? Path.GetFullPath(revision) : revision,
                        deploymentConfig = line.Option("--config"),
                        fileExistsBehavior = line.Option("--file-exists-behavior"),
                        ignoreApplicationStopFailures = line.Option("--ignore-stop-failures") is { } ignore ? ignore == "true" : (bool?)null,
                    }, cancellationToken);
                    var id = created.GetProperty("id").GetString()!;
                    await output.WriteLineAsync($"deployment {id}");
                    var deployment = created;
                    while (deployment.GetProperty("status").GetString() == "InProgress")
                    {
                        await Task.Delay(PollInterval, cancellationToken);
                        deployment = await GetAsync(http, id, cancellationToken);
                    }
                    return Print(deployment, output);
                default:
                    await error.WriteLineAsync("usage:\n" + Usage);
                    return 2;
            }
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"buildfarm: {baseUrl}: {ex.Message}");
            return 1;
        }
    }

    private static int Print(JsonElement deployment, TextWriter output)
    {
        var status = deployment.GetProperty("status").GetString();
        output.WriteLine($"{deployment.GetProperty("id").GetString()}  {deployment.GetProperty("application").GetString()}/{deployment.GetProperty("group").GetString()}  {deployment.GetProperty("deploymentConfig").GetString()}  {status}"
            + (deployment.GetProperty("isRollback").GetBoolean() ? "  (rollback)" : ""));
        if (deployment.GetProperty("reason").GetString() is { } reason)
        {
            output.WriteLine($"  {reason}");
        }
        foreach (var instance in deployment.GetProperty("instances").EnumerateArray())
        {
            output.WriteLine($"  {instance.GetProperty("instance").GetString(),-20} {instance.GetProperty("status").GetString()}  {instance.GetProperty("message").GetString()}");
            foreach (var e in instance.GetProperty("events").EnumerateArray())
            {
                var ms = e.TryGetProperty("startedAt", out var s) && s.ValueKind == JsonValueKind.String && e.TryGetProperty("finishedAt", out var f) && f.ValueKind == JsonValueKind.String
                    ? string.Create(CultureInfo.InvariantCulture, $"{(f.GetDateTimeOffset() - s.GetDateTimeOffset()).TotalMilliseconds,7:0} ms")
                    : "";
                output.WriteLine($"    {e.GetProperty("event").GetString(),-18} {e.GetProperty("status").GetString(),-10} {ms}  {e.GetProperty("message").GetString()}");
            }
        }
        return status == "Succeeded" ? 0 : 1;
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string id, CancellationToken cancellationToken) =>
        await SendAsync(http, HttpMethod.Get, $"/api/deployments/{Uri.EscapeDataString(id)}", null, cancellationToken);

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // ProblemDetails carry the reason in 'detail' (or per-field 'errors'); show it as the server wrote it.
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}: {text}");
        }
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
