using BuildFarm.Coordinator.Options;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Api;

internal static class HttpBodyLimit
{
    /// <summary>
    /// Caps HTTP API request bodies at Coordinator:MaxRequestBodyBytes (a larger one is a 413 ProblemDetails
    /// before anything is stored). Not Kestrel's server-wide limit: that would also cut gRPC log streams,
    /// whose messages gRPC bounds one by one.
    /// </summary>
    public static IApplicationBuilder UseHttpBodyLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<IOptions<CoordinatorOptions>>().Value.MaxRequestBodyBytes;
        return app.Use((context, next) =>
        {
            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false } && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
            {
                feature.MaxRequestBodySize = limit;
            }

            return next(context);
        });
    }
}
