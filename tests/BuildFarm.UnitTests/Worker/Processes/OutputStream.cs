namespace BuildFarm.UnitTests.Worker.Processes;

/// <summary>The values of BuildFarm.Protos.V1.LogStream, which this project cannot name (see <see cref="OutputSinkProxy"/>).</summary>
internal enum OutputStream
{
    Stdout = 1,
    Stderr = 2,
    System = 3,
}
