using BuildFarm.Protos.V1;
using BuildFarm.Worker.Options;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Coordinator;

/// <summary>The worker's one gRPC channel to the coordinator (HTTP/2, multiplexed for every job).</summary>
public sealed class WorkerGatewayClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public WorkerGatewayClient(IOptions<WorkerOptions> options)
    {
        _channel = GrpcChannel.ForAddress(options.Value.CoordinatorUrl!, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            // Reconnect well within the lease: the default backoff grows to 2 minutes, and a worker
            // that cannot reach a restarted coordinator for that long has its jobs retried needlessly.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(200),
            MaxReconnectBackoff = TimeSpan.FromSeconds(3),
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
        });
        var token = options.Value.Token;
        var invoker = string.IsNullOrEmpty(token)
            ? _channel.CreateCallInvoker()
            : _channel.Intercept(metadata =>
            {
                metadata.Add("authorization", $"Bearer {token}");
                return metadata;
            });
        Gateway = new WorkerGateway.WorkerGatewayClient(invoker);
        DeployAgents = new DeployAgentGateway.DeployAgentGatewayClient(invoker);
    }

    public WorkerGateway.WorkerGatewayClient Gateway { get; }

    /// <summary>The deploy agent's calls, on the same channel (an agent ships its logs through <see cref="Gateway"/>).</summary>
    public DeployAgentGateway.DeployAgentGatewayClient DeployAgents { get; }

    public void Dispose() => _channel.Dispose();
}
