using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Deployments;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Logs;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Deployments;
using BuildFarm.Protos.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>The internal API deploy agents call: register, heartbeat, claim an instance deployment, report events and results.</summary>
[Authorize(Permissions.Work)]
public sealed class DeployAgentGatewayGrpcService(
    AgentRegistry registry,
    DeploymentService deployments,
    LogStore logs,
    IOptions<DeploymentOptions> options) : DeployAgentGateway.DeployAgentGatewayBase
{
    public override async Task<RegisterAgentResponse> RegisterAgent(RegisterAgentRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.InstanceName) || request.InstanceName.Length > 200)
        {
            throw new RequestInvalidException("instance_name", "instance_name is required (at most 200 characters).");
        }
        await registry.RegisterAsync(request.InstanceName, request.Tags, string.IsNullOrEmpty(request.Os) ? "linux" : request.Os, request.Root, context.CancellationToken);
        return new RegisterAgentResponse { Queue = AgentQueue.For(request.InstanceName), HeartbeatSeconds = options.Value.AgentHeartbeatSeconds };
    }

    public override async Task<AgentHeartbeatResponse> AgentHeartbeat(AgentHeartbeatRequest request, ServerCallContext context)
    {
        var (registered, stop) = await registry.BeatAsync(request.InstanceName, context.CancellationToken);
        var response = new AgentHeartbeatResponse { Registered = registered };
        response.StopInstanceDeploymentIds.AddRange(stop.Select(s => s.ToString()));
        return response;
    }

    public override async Task<StartInstanceDeploymentResponse> StartInstanceDeployment(StartInstanceDeploymentRequest request, ServerCallContext context)
    {
        var id = GrpcIds.Parse(request.InstanceDeploymentId, "instance_deployment_id");
        var (granted, reason, instance) = await deployments.StartInstanceAsync(id, request.InstanceName, context.CancellationToken);
        if (!granted)
        {
            return new StartInstanceDeploymentResponse { Granted = false, Reason = reason };
        }
        var (lastSeq, _) = await logs.GetEndAsync(id, context.CancellationToken);
        return new StartInstanceDeploymentResponse { Granted = true, AttemptId = instance!.AttemptId.ToString(), LogSeqStart = lastSeq };
    }

    public override async Task<DeploymentEventAck> ReportDeploymentEvent(DeploymentEventReport request, ServerCallContext context)
    {
        var id = GrpcIds.Parse(request.InstanceDeploymentId, "instance_deployment_id");
        await deployments.ReportEventAsync(id, new DeploymentEventRecord(
            request.LifecycleEvent,
            request.Status,
            request.StartedAt?.ToDateTimeOffset(),
            request.FinishedAt?.ToDateTimeOffset(),
            request.HookMilliseconds,
            string.IsNullOrEmpty(request.Message) ? null : request.Message,
            request.HasExitCode ? request.ExitCode : null), context.CancellationToken);
        return new DeploymentEventAck();
    }

    public override async Task<DeploymentEventAck> CompleteInstanceDeployment(CompleteInstanceDeploymentRequest request, ServerCallContext context)
    {
        var id = GrpcIds.Parse(request.InstanceDeploymentId, "instance_deployment_id");
        await deployments.CompleteInstanceAsync(id, request.Succeeded, string.IsNullOrEmpty(request.Message) ? null : request.Message, context.CancellationToken);
        return new DeploymentEventAck();
    }
}
