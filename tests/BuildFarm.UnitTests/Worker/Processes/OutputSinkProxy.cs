using System.Globalization;
using System.Reflection;
using BuildFarm.Worker.Processes;

namespace BuildFarm.UnitTests.Worker.Processes;

/// <summary>
/// Implements <see cref="IOutputSink"/> without naming BuildFarm.Protos.V1.LogStream.
/// </summary>
/// <remarks>
/// Both BuildFarm.Worker and BuildFarm.Coordinator compile common.proto, and this project references
/// both, so the name LogStream is ambiguous here (CS0433) until one reference gets an extern alias in
/// BuildFarm.UnitTests.csproj. A DispatchProxy receives the argument as an object and so never needs
/// the name; the stream travels as its proto number (<see cref="OutputStream"/>).
/// </remarks>
public class OutputSinkProxy : DispatchProxy
{
    private Func<OutputStream, ReadOnlyMemory<byte>, CancellationToken, Task> _write = null!;

    internal static IOutputSink Create(Func<OutputStream, ReadOnlyMemory<byte>, CancellationToken, Task> write)
    {
        var sink = Create<IOutputSink, OutputSinkProxy>();
        ((OutputSinkProxy)(object)sink)._write = write;
        return sink;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new ValueTask(_write(
            (OutputStream)Convert.ToInt32(args[0], CultureInfo.InvariantCulture),
            (ReadOnlyMemory<byte>)args[1]!,
            (CancellationToken)args[2]!));
    }
}
