using BuildFarm.Coordinator.Auth;
using BuildFarm.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace BuildFarm.Coordinator.Grpc;

[Authorize(Permissions.Admin)]
public sealed class TokenGrpcService(ApiTokenService tokens) : TokenService.TokenServiceBase
{
    public override async Task<CreatedToken> CreateToken(CreateTokenRequest request, ServerCallContext context)
    {
        var (token, plain) = await tokens.CreateAsync(request.Name, request.Role, request.ExpiresInDays, context.CancellationToken);
        return new CreatedToken { Token = ToProto(token), Secret = plain };
    }

    public override async Task<ListTokensResponse> ListTokens(ListTokensRequest request, ServerCallContext context)
    {
        var response = new ListTokensResponse();
        response.Tokens.AddRange((await tokens.ListAsync(context.CancellationToken)).Select(ToProto));
        return response;
    }

    public override async Task<Protos.V1.ApiToken> RevokeToken(RevokeTokenRequest request, ServerCallContext context) =>
        ToProto(await tokens.RevokeAsync(GrpcIds.Parse(request.Id, "id"), context.CancellationToken));

    private static Protos.V1.ApiToken ToProto(Persistence.Entities.ApiToken token) => new()
    {
        Id = token.Id.ToString(),
        Name = token.Name,
        Role = token.Role,
        CreatedAt = Timestamp.FromDateTimeOffset(token.CreatedAt),
        ExpiresAt = token.ExpiresAt is { } e ? Timestamp.FromDateTimeOffset(e) : null,
        RevokedAt = token.RevokedAt is { } r ? Timestamp.FromDateTimeOffset(r) : null,
    };
}
