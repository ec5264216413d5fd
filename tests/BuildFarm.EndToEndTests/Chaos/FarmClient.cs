using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>The farm's admin HTTP API, as a user (or a dashboard) talks to it: JSON in, JSON out.</summary>
internal sealed class FarmClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = baseAddress,
        Timeout = ChaosSettings.CallTimeout,
        DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token) },
    };

    /// <summary>The bootstrap admin token the chaos farms' coordinators start with; their workers use it too.</summary>
    public static string Token { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("healthz", UriKind.Relative), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            // Not listening yet (or any more).
            return false;
        }
    }

    /// <summary>A GET as it is, refusals included: status, media type and body.</summary>
    public async Task<(HttpStatusCode Status, string? MediaType, string Body)> GetRawAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(Relative(path), cancellationToken);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>A trigger with an idempotency key, refusals included: status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> TriggerRawAsync(string pipeline, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("api/runs", UriKind.Relative), new { pipeline, idempotencyKey }, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public async Task PutPipelineAsync(string name, string definition, CancellationToken cancellationToken)
    {
        using var response = await _http.PutAsJsonAsync(new Uri($"api/pipelines/{name}", UriKind.Relative), new { definition }, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
    }

    public async Task<Guid> TriggerAsync(string pipeline, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("api/runs", UriKind.Relative), new { pipeline, variables }, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
        var run = await response.Content.ReadFromJsonAsync<RunView>(cancellationToken);
        return run?.Id ?? throw new InvalidOperationException("POST /api/runs answered 201 without a run.");
    }

    public async Task<RunView> GetRunAsync(Guid runId, CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<RunView>(new Uri($"api/runs/{runId}", UriKind.Relative), cancellationToken)
        ?? throw new InvalidOperationException($"GET /api/runs/{runId} answered null.");

    public async Task<string> GetLogAsync(Guid runId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri($"api/runs/{runId}/log", UriKind.Relative), cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Polls until the run satisfies <paramref name="done"/>; on timeout says what it last saw.</summary>
    public async Task<RunView> WaitForRunAsync(Guid runId, Func<RunView, bool> done, TimeSpan limit, Func<string> describe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        RunView? last = null;
        try
        {
            while (true)
            {
                try
                {
                    last = await GetRunAsync(runId, timeout.Token);
                    if (done(last))
                    {
                        return last;
                    }
                }
                catch (HttpRequestException)
                {
                    // The coordinator may be restarting; the limit bounds how long that may take.
                }

                await Task.Delay(ChaosSettings.PollInterval, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Run {runId} did not get there within {limit}; last seen: {last}\n{describe()}");
        }
    }

    /// <summary>A PUT of a JSON body that must succeed; returns the JSON answer.</summary>
    public async Task<JsonElement> PutJsonAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await _http.PutAsJsonAsync(Relative(path), body, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>A POST of a JSON body that must answer 201 Created; returns the JSON answer.</summary>
    public async Task<JsonElement> CreateJsonAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(Relative(path), body, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(Relative(path), cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(Relative(path), cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    // The base address ends in '/', so paths are resolved below it, with or without their own leading '/'.
    private static Uri Relative(string path) => new(path.TrimStart('/'), UriKind.Relative);

    // The API explains a refusal in its ProblemDetails body, which EnsureSuccessStatusCode would drop.
    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }
}
