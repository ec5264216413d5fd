using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Definitions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BuildFarm.Coordinator.Api;

/// <summary>Maps domain exceptions to RFC 9457 ProblemDetails once for every HTTP endpoint.</summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DefinitionInvalidException invalid => Invalid(invalid),
            RequestInvalidException invalid => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is invalid.",
                Detail = invalid.Message,
                Extensions = { ["field"] = invalid.Field },
            },
            NotFoundException notFound => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = $"{notFound.What} not found.",
                Detail = notFound.Message,
            },
            ConflictException conflict => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The request conflicts with the current state.",
                Detail = conflict.Message,
            },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request is invalid.",
                Detail = bad.Message,
            },
            StoreUnavailableException store => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = $"The {store.Store} store is unavailable.",
                Detail = $"{store.Message} Retry shortly (a purge that stopped part-way deletes the rest when repeated).",
            },
            _ when DatabaseUnavailable.Is(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable.",
                Detail = "The coordinator cannot reach its database right now; nothing was changed. Retry shortly.",
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Invalid(DefinitionInvalidException invalid) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The definition is invalid.",
        Detail = invalid.Message,
        Extensions =
        {
            ["errors"] = invalid.Diagnostics.Select(d => new
            {
                file = d.File,
                line = d.Line,
                column = d.Column,
                field = d.Field,
                severity = d.Severity == DefinitionSeverity.Error ? "error" : "warning",
                message = d.Message,
            }).ToList(),
        },
    };
}
