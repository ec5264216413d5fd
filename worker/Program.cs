using BuildFarm.Worker;
using BuildFarm.Worker.Deploy;

// `worker agent --group web …` runs this binary as a deploy agent (Worker:Role=Agent).
var builder = Host.CreateApplicationBuilder(AgentArguments.Translate(args));
builder.AddWorker();
await builder.Build().RunAsync();
