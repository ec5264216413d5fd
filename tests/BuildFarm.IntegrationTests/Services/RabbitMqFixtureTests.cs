using BuildFarm.IntegrationTests.Fixtures;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BuildFarm.IntegrationTests.Services;

[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqFixtureTests(RabbitMqFixture rabbitMq)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Created_vhost_accepts_an_amqp_connection_and_round_trips_a_message()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var body = "hello from the vhost"u8.ToArray();

        var uri = await rabbitMq.CreateVirtualHostAsync("rabbitmq-fixture", timeout.Token);

        var factory = new ConnectionFactory { Uri = uri };
        await using var connection = await factory.CreateConnectionAsync(timeout.Token);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: timeout.Token);
        var queue = await channel.QueueDeclareAsync(cancellationToken: timeout.Token);
        await channel.BasicPublishAsync(string.Empty, queue.QueueName, body, timeout.Token);
        var received = await GetAsync(channel, queue.QueueName, timeout.Token);

        Assert.True(connection.IsOpen);
        Assert.StartsWith("bf-rabbitmq-fixture-", factory.VirtualHost, StringComparison.Ordinal);
        Assert.Equal("/" + factory.VirtualHost, uri.AbsolutePath);
        Assert.Equal(body, received);
    }

    [Fact]
    public async Task A_queue_in_one_vhost_is_invisible_in_another()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var first = await rabbitMq.CreateVirtualHostAsync("isolation", timeout.Token);
        var second = await rabbitMq.CreateVirtualHostAsync("isolation", timeout.Token);

        await using var firstConnection = await new ConnectionFactory { Uri = first }.CreateConnectionAsync(timeout.Token);
        await using var firstChannel = await firstConnection.CreateChannelAsync(cancellationToken: timeout.Token);
        await firstChannel.QueueDeclareAsync("marker", durable: false, exclusive: false, autoDelete: false,
            cancellationToken: timeout.Token);

        await using var secondConnection = await new ConnectionFactory { Uri = second }.CreateConnectionAsync(timeout.Token);
        await using var secondChannel = await secondConnection.CreateChannelAsync(cancellationToken: timeout.Token);
        var missing = await Assert.ThrowsAsync<OperationInterruptedException>(() =>
            secondChannel.QueueDeclarePassiveAsync("marker", timeout.Token));

        Assert.NotEqual(first, second);
        Assert.NotNull(missing.ShutdownReason);
        Assert.Equal(404, (int)missing.ShutdownReason.ReplyCode);
    }

    // A publish is routed asynchronously, so the first basic.get can come back empty.
    private static async Task<byte[]> GetAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await channel.BasicGetAsync(queue, autoAck: true, cancellationToken);
            if (result is not null)
            {
                return result.Body.ToArray();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }
}
