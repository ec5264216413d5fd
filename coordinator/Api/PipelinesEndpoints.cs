using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

public static class PipelinesEndpoints
{
    public static RouteGroupBuilder MapPipelinesEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/pipelines").WithTags("Pipelines");
        group.MapPut("/{name}", ApplyAsync).RequireAuthorization(Permissions.Admin)
            .Accepts<ApplyPipelineBody>("application/json", "application/yaml", "text/plain")
            .WithSummary("Store a new version of a pipeline (JSON {definition, fileName, timeoutInMinutes?, queuedTimeoutInMinutes?, labels?} or the raw buildspec YAML with those as query parameters, label repeated).");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.Read);
        group.MapGet("/{name}", GetAsync).RequireAuthorization(Permissions.Read);
        group.MapGet("/{name}/versions/{version:int}", GetVersionAsync).RequireAuthorization(Permissions.Read);
        group.MapDelete("/{name}", DeleteAsync).RequireAuthorization(Permissions.Admin)
            .WithSummary("Delete a pipeline: 409 while a run of it is queued or running; its runs, logs and artifacts stay readable.");
        return group;
    }

    private static async Task<NoContent> DeleteAsync(string name, PipelineService pipelines, CancellationToken cancellationToken)
    {
        await pipelines.DeleteAsync(name, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Created<PipelineResponse>> ApplyAsync(string name, HttpRequest request, PipelineService pipelines, CancellationToken cancellationToken)
    {
        string definition;
        string? fileName;
        PipelineVersionSettings settings;
        if (request.HasJsonContentType())
        {
            var body = await request.ReadFromJsonAsync<ApplyPipelineBody>(cancellationToken)
                ?? throw new RequestInvalidException("body", "The JSON body is empty.");
            (definition, fileName) = (body.Definition ?? throw new RequestInvalidException("definition", "definition is required."), body.FileName);
            settings = new PipelineVersionSettings(body.TimeoutInMinutes, body.QueuedTimeoutInMinutes, body.Labels);
        }
        else
        {
            using var reader = new StreamReader(request.Body);
            definition = await reader.ReadToEndAsync(cancellationToken);
            fileName = request.Query["fileName"];
            settings = new PipelineVersionSettings(QueryMinutes(request, "timeoutInMinutes"), QueryMinutes(request, "queuedTimeoutInMinutes"),
                [.. request.Query["label"].Where(l => l is not null).Select(l => l!)]);
        }

        var version = await pipelines.ApplyAsync(name, definition, fileName, settings, cancellationToken);
        var (pipeline, stored) = await pipelines.GetAsync(name, version.Version, cancellationToken);
        return TypedResults.Created($"/api/pipelines/{name}/versions/{version.Version}", PipelineResponse.From(pipeline, stored));
    }

    private static int? QueryMinutes(HttpRequest request, string name) =>
        request.Query[name].ToString() is { Length: > 0 } text
            ? int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minutes)
                ? minutes
                : throw new RequestInvalidException(name, $"{name} must be a whole number of minutes; got '{text}'.")
            : null;

    private static async Task<Ok<List<PipelineResponse>>> ListAsync(PipelineService pipelines, CancellationToken cancellationToken) =>
        TypedResults.Ok((await pipelines.ListAsync(cancellationToken)).Select(p => PipelineResponse.From(p.Pipeline, p.Version)).ToList());

    private static async Task<Ok<PipelineResponse>> GetAsync(string name, PipelineService pipelines, CancellationToken cancellationToken)
    {
        var (pipeline, version) = await pipelines.GetAsync(name, 0, cancellationToken);
        return TypedResults.Ok(PipelineResponse.From(pipeline, version));
    }

    private static async Task<Ok<PipelineResponse>> GetVersionAsync(string name, int version, PipelineService pipelines, CancellationToken cancellationToken)
    {
        var (pipeline, stored) = await pipelines.GetAsync(name, version, cancellationToken);
        return TypedResults.Ok(PipelineResponse.From(pipeline, stored));
    }
}
