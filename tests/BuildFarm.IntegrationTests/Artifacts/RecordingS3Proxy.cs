extern alias worker;

using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Amazon.S3;

namespace BuildFarm.IntegrationTests.Artifacts;

/// <summary>
/// Passes every call through to a real client and records it. s3rver implements neither
/// AbortMultipartUpload nor ListMultipartUploads, so the calls themselves are the evidence that a
/// failed upload was aborted.
/// </summary>
public class RecordingS3Proxy : DispatchProxy
{
    private IAmazonS3? _target;

    public ConcurrentQueue<(string Method, object?[] Arguments)> Calls { get; } = new();

    public static (IAmazonS3 Client, RecordingS3Proxy Recorder) Wrap(IAmazonS3 target)
    {
        var client = Create<IAmazonS3, RecordingS3Proxy>();
        var recorder = (RecordingS3Proxy)(object)client;
        recorder._target = target;
        return (client, recorder);
    }

    public IEnumerable<T> Requests<T>() => Calls.SelectMany(c => c.Arguments).OfType<T>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.Enqueue((targetMethod.Name, args ?? []));
        try
        {
            return targetMethod.Invoke(_target, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            // The caller must see what the client threw, as it would without the proxy.
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
