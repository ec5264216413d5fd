namespace BuildFarm.Storage.Artifacts;

/// <summary>Picks the store <c>Artifacts:Backend</c> names.</summary>
public static class ArtifactStores
{
    /// <param name="options">Already validated (<see cref="ArtifactOptionsValidator"/> runs at start).</param>
    public static IArtifactStore Create(ArtifactOptions options) => options.Backend switch
    {
        ArtifactOptions.S3Backend => S3ArtifactStore.Create(options),
        ArtifactOptions.FileSystemBackend => new FileSystemArtifactStore(options.FileSystemRoot),
        _ => throw new InvalidOperationException($"Artifacts:Backend '{options.Backend}' is not FileSystem or S3."),
    };
}
