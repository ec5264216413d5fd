using System.Collections.Concurrent;
using BuildFarm.Cli.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BuildFarm.IntegrationTests.PipelineEdges;

/// <summary>
/// An HTTP target on 127.0.0.1 that records every POST (path, body, Authorization) and answers 200, or 503 for
/// as many requests to a path as <see cref="FailNext"/> asked: a Slack webhook or GitHub's API stand-in.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new(StringComparer.Ordinal);

    private LoopbackReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
        app.Run(HandleAsync);
    }

    public Uri Url { get; }

    public static async Task<LoopbackReceiver> StartAsync()
    {
        var url = new Uri($"http://127.0.0.1:{FarmHosts.FreePort()}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.ToString());
        builder.Logging.ClearProviders();
        var receiver = new LoopbackReceiver(builder.Build(), url);
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>The next <paramref name="times"/> requests to <paramref name="path"/> get 503.</summary>
    public void FailNext(string path, int times) => _failuresLeft[path] = times;

    public IReadOnlyList<ReceivedRequest> Received(string path) => [.. _received.Where(r => r.Path == path)];

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var path = context.Request.Path.Value ?? "/";
        var fail = _failuresLeft.TryGetValue(path, out var left) && left > 0 && _failuresLeft.TryUpdate(path, left - 1, left);
        var status = fail ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        _received.Enqueue(new ReceivedRequest(path, body, context.Request.Headers.Authorization.ToString(), status));
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One POST the receiver got, and the status it answered.</summary>
public sealed record ReceivedRequest(string Path, string Body, string Authorization, int AnsweredStatus);
