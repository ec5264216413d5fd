using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace BuildFarm.Coordinator.Dashboard;

/// <summary>
/// Serves the web dashboard (Dashboard/wwwroot, embedded in this assembly) at <c>/</c>. It is plain
/// HTML, CSS and JavaScript modules that call only the public HTTP API, so it can do nothing the API
/// forbids; no asset comes from anywhere else, which the Content-Security-Policy also enforces.
/// </summary>
public static class DashboardFiles
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static WebApplication UseDashboard(this WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(DashboardFiles).Assembly, "Dashboard/wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".js"] = "text/javascript; charset=utf-8";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = types,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // Revalidate every time (ETag): a coordinator upgrade must never leave an old module in a tab.
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            },
        });
        return app;
    }
}
