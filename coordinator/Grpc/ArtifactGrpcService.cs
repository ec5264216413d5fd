using BuildFarm.Coordinator.Artifacts;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Protos.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace BuildFarm.Coordinator.Grpc;

public sealed class ArtifactGrpcService(RunArtifacts artifacts) : ArtifactService.ArtifactServiceBase
{
    // Well under gRPC's default 4 MiB message limit, large enough that framing costs nothing.
    private const int ChunkBytes = 256 * 1024;

    [Authorize(Permissions.Read)]
    public override async Task<ListArtifactsResponse> ListArtifacts(ListArtifactsRequest request, ServerCallContext context)
    {
        var list = await artifacts.ListAsync(GrpcIds.Parse(request.RunId, "run_id"), context.CancellationToken);
        var response = new ListArtifactsResponse();
        response.Artifacts.AddRange(list.Select(ToProto));
        return response;
    }

    [Authorize(Permissions.Read)]
    public override async Task DownloadArtifact(DownloadArtifactRequest request, IServerStreamWriter<ArtifactChunk> responseStream, ServerCallContext context)
    {
        var (artifact, content) = await artifacts.OpenAsync(GrpcIds.Parse(request.RunId, "run_id"), request.Name, context.CancellationToken);
        await using (content)
        {
            if (request.Offset < 0 || request.Offset > artifact.SizeBytes)
            {
                throw new RequestInvalidException("offset", $"offset {request.Offset} is outside the artifact's {artifact.SizeBytes} bytes.");
            }

            content.Seek(request.Offset, SeekOrigin.Begin);
            var buffer = new byte[ChunkBytes];
            var first = new ArtifactChunk { Artifact = ToProto(artifact), Offset = request.Offset };
            var offset = request.Offset;
            int read;
            try
            {
                read = await content.ReadAsync(buffer, context.CancellationToken);
            }
            catch (FileNotFoundException)
            {
                // The row outlived its bytes (the store was cleaned by hand): the same answer as no artifact.
                throw new NotFoundException("Artifact", request.Name);
            }

            first.Data = ByteString.CopyFrom(buffer, 0, read);
            await responseStream.WriteAsync(first, context.CancellationToken);
            offset += read;
            while ((read = await content.ReadAsync(buffer, context.CancellationToken)) > 0)
            {
                await responseStream.WriteAsync(new ArtifactChunk { Offset = offset, Data = ByteString.CopyFrom(buffer, 0, read) }, context.CancellationToken);
                offset += read;
            }
        }
    }

    private static Artifact ToProto(RunArtifact artifact) => new()
    {
        RunId = artifact.RunId.ToString(),
        Name = artifact.Name,
        Key = artifact.Key,
        SizeBytes = artifact.SizeBytes,
        Sha256 = artifact.Sha256,
        JobId = artifact.JobId.ToString(),
        StoredAt = Timestamp.FromDateTimeOffset(artifact.StoredAt),
    };
}
