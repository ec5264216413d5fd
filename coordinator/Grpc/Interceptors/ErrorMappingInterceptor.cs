using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Definitions;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace BuildFarm.Coordinator.Grpc.Interceptors;

/// <summary>
/// Maps domain exceptions to gRPC statuses once, at the edge, with google.rpc details
/// (BadRequest field violations carrying file:line:column for invalid definitions).
/// </summary>
public sealed class ErrorMappingInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (Map(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (Map(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception ex) when (Map(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    private static RpcException? Map(Exception exception) => exception switch
    {
        DefinitionInvalidException invalid => Invalid(invalid),
        RequestInvalidException invalid => new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = invalid.Message,
            Details = { Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = invalid.Field, Description = invalid.Message } } }) },
        }.ToRpcException(),
        NotFoundException notFound => new Google.Rpc.Status
        {
            Code = (int)Code.NotFound,
            Message = notFound.Message,
            Details = { Any.Pack(new ResourceInfo { ResourceType = notFound.What, ResourceName = notFound.Id }) },
        }.ToRpcException(),
        ConflictException conflict => new Google.Rpc.Status { Code = (int)Code.FailedPrecondition, Message = conflict.Message }.ToRpcException(),
        StoreUnavailableException store => new Google.Rpc.Status { Code = (int)Code.Unavailable, Message = store.Message }.ToRpcException(),
        _ when DatabaseUnavailable.Is(exception) => new Google.Rpc.Status
        {
            Code = (int)Code.Unavailable,
            Message = "The coordinator cannot reach its database right now; nothing was changed. Retry shortly.",
        }.ToRpcException(),
        _ => null,
    };

    private static RpcException Invalid(DefinitionInvalidException invalid)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(invalid.Diagnostics
            .Where(d => d.Severity == DefinitionSeverity.Error)
            .Select(d => new BadRequest.Types.FieldViolation { Field = d.Field, Description = d.ToString() }));
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = invalid.Message,
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }
}
