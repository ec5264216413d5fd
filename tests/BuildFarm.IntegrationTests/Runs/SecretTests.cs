using System.Net;
using System.Net.Http.Json;
using System.Text;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Runs;

/// <summary>parameter-store / secrets-manager entries resolve from the farm's store and never show in logs or APIs.</summary>
public sealed class SecretTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private const string Password = "hunter2-correct-horse";
    private const string Token = "tok-0123456789abcdef";

    [Fact]
    public async Task Secrets_reach_the_step_as_variables_and_are_masked_in_every_encoding()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await farm.Http.PutAsJsonAsync("/api/secrets/prod/db/password", new { value = Password }, Wait.Up(Limit))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await farm.Http.PutAsJsonAsync("/api/secrets/app-token", new { value = $"{{\"api\":\"{Token}\"}}" }, Wait.Up(Limit))).StatusCode);
        await farm.Client.ApplyPipelineAsync("secrets", """
            version: 0.2
            env:
              parameter-store:
                DB_PASSWORD: prod/db/password
              secrets-manager:
                API_TOKEN: app-token:api
            phases:
              build:
                commands:
                  - echo "plain $DB_PASSWORD"
                  - printf '%s' "$DB_PASSWORD" | base64
                  - python3 -c "import urllib.parse,os; print(urllib.parse.quote(os.environ['DB_PASSWORD'] + '/x'))"
                  - echo "token $API_TOKEN" >&2
                  - '[ "$DB_PASSWORD" = "hunter2-correct-horse" ] && echo value is right'
            """, cancellationToken: Wait.Up(Limit));

        var run = await farm.Client.TriggerRunAsync("secrets", cancellationToken: Wait.Up(Limit));
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        var log = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, Wait.Up(Limit)));
        var names = await farm.Http.GetStringAsync("/api/secrets", Wait.Up(Limit));

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Contains("value is right", log, StringComparison.Ordinal);
        Assert.Contains("plain ***", log, StringComparison.Ordinal);
        Assert.Contains("token ***", log, StringComparison.Ordinal);
        foreach (var leaked in new[] { Password, Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)), Uri.EscapeDataString(Password), Token })
        {
            Assert.DoesNotContain(leaked, log, StringComparison.Ordinal);
        }

        Assert.Contains("prod/db/password", names, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, names, StringComparison.Ordinal);

        // Nothing a caller can read about the run carries a value: its detail, list rows, log (HTTP and gRPC).
        var responses = new List<string>
        {
            await farm.Http.GetStringAsync($"/api/runs/{run.Id}", Wait.Up(Limit)),
            await farm.Http.GetStringAsync($"/api/run-summaries/{run.Id}", Wait.Up(Limit)),
            await farm.Http.GetStringAsync("/api/runs?pipeline=secrets", Wait.Up(Limit)),
            await farm.Http.GetStringAsync($"/api/runs/{run.Id}/log", Wait.Up(Limit)),
            Google.Protobuf.JsonFormatter.Default.Format(await farm.Client.GetRunAsync(run.Id, Wait.Up(Limit))),
        };
        Assert.All(responses, body =>
        {
            Assert.DoesNotContain(Password, body, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, body, StringComparison.Ordinal);
        });

        // At rest the values are AES-GCM ciphertext: neither the value nor its bytes are in the row.
        using (farm.OpenDatabase(out var db))
        {
            var stored = db.Secrets.Single(s => s.Name == "prod/db/password");
            Assert.Equal(-1, stored.Ciphertext.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Password)));
            Assert.Equal(Encoding.UTF8.GetByteCount(Password), stored.Ciphertext.Length);
        }
    }

    [Fact]
    public async Task A_run_that_needs_a_missing_secret_fails_naming_it()
    {
        await farm.Client.ApplyPipelineAsync("missing-secret", """
            version: 0.2
            env:
              parameter-store:
                KEY: no/such/secret
            phases:
              build:
                commands:
                  - echo should not run
            """, cancellationToken: Wait.Up(Limit));

        var run = await farm.Client.TriggerRunAsync("missing-secret", cancellationToken: Wait.Up(Limit));
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        Assert.Equal(RunStatus.Failed, final.Status);
        Assert.Contains("no/such/secret", final.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("should not run", Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, Wait.Up(Limit))).Replace("echo should not run", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
