using System.Security.Cryptography;

namespace BuildFarm.Storage.Artifacts;

/// <summary>
/// Artifacts as files under a root directory, at their key's path, each beside its checksum file.
/// A reader never sees a partial artifact: content is written to a temporary file on the same
/// file system and renamed into place.
/// </summary>
public sealed class FileSystemArtifactStore : IArtifactStore
{
    // Dot-named, so no valid key can reach it and listings skip it.
    private const string IncomingDirectory = ".incoming";
    private const int BufferSize = 128 * 1024;

    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.Hidden,
        IgnoreInaccessible = false,
    };

    private readonly string _root;

    public FileSystemArtifactStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    public string Root => _root;

    public async Task<StoredArtifact> PutAsync(string key, Stream content, long length, CancellationToken cancellationToken)
    {
        ArtifactKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var target = PathOf(key);
        var incoming = Path.Combine(_root, IncomingDirectory);
        Directory.CreateDirectory(incoming);
        var id = Guid.NewGuid().ToString("N");
        var tempContent = Path.Combine(incoming, id);
        var tempChecksum = Path.Combine(incoming, id + ArtifactKey.ChecksumSuffix);
        try
        {
            string sha256;
            var file = new FileStream(tempContent, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (file)
            {
                sha256 = await CopyExactlyAsync(content, file, length, key, cancellationToken);
                await file.FlushAsync(cancellationToken);
                // The rename below is atomic, but after a power cut it can survive while the data doesn't.
                RandomAccess.FlushToDisk(file.SafeFileHandle);
            }

            await File.WriteAllTextAsync(tempChecksum, ArtifactChecksum.Format(sha256, key), cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // Checksum first: content without its checksum is recomputed on listing, so it stays right either way.
            File.Move(tempChecksum, target + ArtifactKey.ChecksumSuffix, overwrite: true);
            File.Move(tempContent, target, overwrite: true);
            return new StoredArtifact(key, length, sha256);
        }
        finally
        {
            File.Delete(tempContent);
            File.Delete(tempChecksum);
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => OpenReadAsync(key, 0, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken)
    {
        ArtifactKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        try
        {
            var stream = new FileStream(
                PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            stream.Position = Math.Min(offset, stream.Length);
            return Task.FromResult<Stream>(stream);
        }
        catch (DirectoryNotFoundException ex)
        {
            // Callers handle one "not found", whichever part of the path is missing.
            throw new FileNotFoundException($"No artifact has the key '{key}'.", key, ex);
        }
    }

    public async Task<IReadOnlyList<StoredArtifact>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var slash = prefix.LastIndexOf('/');
        var directoryPart = slash < 0 ? "" : prefix[..slash];
        if (directoryPart.Length > 0 && ArtifactKey.Problem(directoryPart) is { } problem)
        {
            throw new ArgumentException($"Artifact key prefix '{prefix}' {problem}.", nameof(prefix));
        }

        var start = directoryPart.Length == 0 ? _root : Path.Combine(_root, directoryPart);
        if (!Directory.Exists(start))
        {
            return [];
        }

        var found = new List<StoredArtifact>();
        foreach (var file in new DirectoryInfo(start).EnumerateFiles("*", ListOptions))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || key.EndsWith(ArtifactKey.ChecksumSuffix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            found.Add(new StoredArtifact(key, file.Length, await ChecksumOfAsync(file, cancellationToken)));
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return found;
    }

    private static async Task<string> ChecksumOfAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var checksumPath = file.FullName + ArtifactKey.ChecksumSuffix;
        if (File.Exists(checksumPath)
            && ArtifactChecksum.TryParse(await File.ReadAllTextAsync(checksumPath, cancellationToken), out var recorded))
        {
            return recorded;
        }

        var content = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous);
        await using (content)
        {
            return (await ArtifactChecksum.ComputeAsync(content, cancellationToken)).Sha256;
        }
    }

    /// <summary>Copies exactly <paramref name="length"/> bytes, hashing them; reads one byte past to catch a longer stream.</summary>
    private static async Task<string> CopyExactlyAsync(Stream source, Stream destination, long length, string key, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long copied = 0;
        while (copied <= length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length + 1 - copied)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            copied += read;
            if (copied > length)
            {
                throw new InvalidDataException($"The content for '{key}' is longer than the {length} bytes declared.");
            }

            hash.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return copied == length
            ? ArtifactChecksum.Hex(hash)
            : throw new InvalidDataException($"The content for '{key}' ended after {copied} of the {length} bytes declared.");
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        // Key validation already refuses "..": this is the second lock on the same door.
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"Artifact key '{key}' leaves the store's root.", nameof(key));
    }
}
