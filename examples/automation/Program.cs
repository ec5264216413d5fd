using BuildFarm.Examples.Automation;

// dotnet run --project examples/automation -- trigger PIPELINE [KEY=VALUE…]   asks for a run, prints it
// dotnet run --project examples/automation -- listen                         prints every run event
// BUILDFARM_RABBITMQ (default amqp://guest:guest@127.0.0.1:5672/) names the farm's broker.
var broker = new Uri(Environment.GetEnvironmentVariable("BUILDFARM_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

switch (args.FirstOrDefault())
{
    case "trigger" when args.Length >= 2:
        var variables = args.Skip(2).Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        var outcome = await RunTrigger.TriggerAndWaitAsync(broker, args[1], variables, Console.Out, stop.Token);
        return outcome == "Succeeded" ? 0 : 1;
    case "listen":
        await using (await RunEventsListener.StartAsync(broker, "automation-example-events", Console.Out, stop.Token))
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: stop listening.
            }
        }

        return 0;
    default:
        await Console.Error.WriteLineAsync("usage: buildfarm-automation-example trigger PIPELINE [KEY=VALUE...] | listen");
        return 2;
}
