using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>Debian's local Maven repository served over HTTP on loopback, as a stand-in for Maven Central; counts requests.</summary>
internal sealed class MavenRepositoryServer : IAsyncDisposable
{
    public const string Directory = "/usr/share/maven-repo";

    private readonly WebApplication _app;
    private int _requests;

    private MavenRepositoryServer(WebApplication app)
    {
        _app = app;
    }

    public Uri Url => new(_app.Urls.First());

    public int Requests => _requests;

    public static async Task<MavenRepositoryServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new MavenRepositoryServer(app);
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref server._requests);
            return next(context);
        });
        // Not the static-file middleware: Debian's repository is mostly symbolic links into
        // /usr/share/java, and the link's own length would be sent as the file's.
        app.MapGet("/{**path}", (string path) =>
        {
            var full = Path.GetFullPath(Path.Combine(Directory, path));
            return full.StartsWith(Directory + "/", StringComparison.Ordinal) && File.Exists(full)
                ? Results.Stream(File.OpenRead(full), "application/octet-stream")
                : Results.NotFound();
        });
        await app.StartAsync(cancellationToken);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
