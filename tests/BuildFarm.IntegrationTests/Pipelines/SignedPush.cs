using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BuildFarm.IntegrationTests.Pipelines;

/// <summary>A GitHub push webhook as GitHub sends it: a fresh delivery id, signed with X-Hub-Signature-256.</summary>
internal static class SignedPush
{
    public static Task<HttpResponseMessage> SendAsync(HttpClient http, string pipeline, string secret, string commit, CancellationToken cancellationToken, string branch = "main")
    {
        var body = $$$"""{"ref":"refs/heads/{{{branch}}}","before":"0000000","after":"{{{commit}}}","sender":{"id":7}}""";
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/github/{pipeline}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))));
        return http.SendAsync(request, cancellationToken);
    }

    /// <summary>Sends the push and returns the id of the run it started (202 expected).</summary>
    public static async Task<Guid> RunAsync(HttpClient http, string pipeline, string secret, string commit, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, pipeline, secret, commit, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"push of {commit} to {pipeline}: {(int)response.StatusCode} {text}");
        }
        return Guid.Parse(JsonDocument.Parse(text).RootElement.GetProperty("runId").GetString()!);
    }

    public static async Task StoreSecretAsync(HttpClient http, string pipeline, string secret, CancellationToken cancellationToken) =>
        (await http.PutAsJsonAsync($"/api/secrets/webhooks/github/{pipeline}", new { value = secret }, cancellationToken)).EnsureSuccessStatusCode();
}
