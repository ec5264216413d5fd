using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using BuildFarm.Cli.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BuildFarm.IntegrationTests.Pipelines;

/// <summary>
/// git's smart HTTP protocol on 127.0.0.1: Kestrel runs <c>git http-backend</c> as CGI for every request under
/// <see cref="Url"/>, serving the repositories under <c>root</c>; with a credential, a request without
/// <c>Authorization: Basic base64(user:password)</c> gets 401, as a private GitHub repository answers.
/// </summary>
internal sealed class GitHttpBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _root;
    private readonly string? _expectedAuthorization;

    private GitHttpBackend(WebApplication app, Uri url, string root, string? userAndPassword)
    {
        _app = app;
        Url = url;
        _root = root;
        _expectedAuthorization = userAndPassword is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));
        app.Run(HandleAsync);
    }

    public Uri Url { get; }

    /// <summary>How many requests were refused for a missing or wrong credential.</summary>
    public int Refused { get; private set; }

    public static async Task<GitHttpBackend> StartAsync(string root, string? userAndPassword = null)
    {
        var url = new Uri($"http://127.0.0.1:{FarmHosts.FreePort()}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.ToString());
        builder.Logging.ClearProviders();
        var backend = new GitHttpBackend(builder.Build(), url, root, userAndPassword);
        await backend._app.StartAsync();
        return backend;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (_expectedAuthorization is not null && context.Request.Headers.Authorization.ToString() != _expectedAuthorization)
        {
            Refused++;
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"git\"";
            return;
        }
        var start = new ProcessStartInfo("git", "http-backend")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["GIT_PROJECT_ROOT"] = _root;
        start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        start.Environment["REQUEST_METHOD"] = context.Request.Method;
        start.Environment["PATH_INFO"] = context.Request.Path.Value ?? "/";
        start.Environment["QUERY_STRING"] = context.Request.QueryString.Value?.TrimStart('?') ?? "";
        start.Environment["CONTENT_TYPE"] = context.Request.ContentType ?? "";
        start.Environment["REMOTE_ADDR"] = "127.0.0.1";
        start.Environment["GIT_PROTOCOL"] = context.Request.Headers["Git-Protocol"].ToString();
        start.Environment["HTTP_CONTENT_ENCODING"] = context.Request.Headers.ContentEncoding.ToString();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(context.RequestAborted);
        var input = Task.Run(async () =>
        {
            await context.Request.Body.CopyToAsync(process.StandardInput.BaseStream, context.RequestAborted);
            process.StandardInput.Close();
        });
        var output = process.StandardOutput.BaseStream;
        // CGI: header lines up to an empty line, then the body.
        var header = new StringBuilder();
        var previous = -1;
        while (true)
        {
            var b = output.ReadByte();
            if (b < 0 || (b == '\n' && previous == '\n'))
            {
                break;
            }
            if (b != '\r')
            {
                header.Append((char)b);
                previous = b;
            }
        }
        foreach (var line in header.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers[name] = value;
            }
        }
        await output.CopyToAsync(context.Response.Body, context.RequestAborted);
        await input;
        await process.WaitForExitAsync(context.RequestAborted);
        await stderr;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary><c>git daemon</c> on 127.0.0.1 (git://), exporting every repository under <c>root</c>; stopped by its pid.</summary>
internal sealed class GitDaemon : IDisposable
{
    private readonly Process _process;

    private GitDaemon(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<GitDaemon> StartAsync(string root)
    {
        var port = FarmHosts.FreePort();
        var start = new ProcessStartInfo("git");
        foreach (var arg in new[] { "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1", $"--port={port}", $"--base-path={root}", root })
        {
            start.ArgumentList.Add(arg);
        }
        var daemon = new GitDaemon(Process.Start(start)!, new Uri($"git://127.0.0.1:{port}/"));
        // Ready once it accepts connections (bounded: 10 s).
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return daemon;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        daemon.Dispose();
        throw new TimeoutException($"git daemon did not listen on 127.0.0.1:{port} within 10 s");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
