extern alias worker;

using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using BuildFarm.Core.Definitions;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Storage.Artifacts;
using worker::BuildFarm.Worker.Artifacts;
using Xunit.Abstractions;

namespace BuildFarm.IntegrationTests.Artifacts;

/// <summary>
/// The S3 store against the real s3rver: content is compared byte for byte and by SHA-256, because
/// a body sent with chunk encoding is stored corrupted without any error.
/// </summary>
[Collection(S3Collection.Name)]
[SupportedOSPlatform("linux")]
public sealed class S3ArtifactStoreTests(S3Fixture s3, ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData(0)]
    [InlineData(22)]
    [InlineData(3 * MiB + 7)]
    public async Task A_small_artifact_goes_up_in_one_put_and_reads_back_identical(long size)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var bucket = await s3.CreateBucketAsync("artifacts-small", timeout.Token);
        var store = new S3ArtifactStore(s3.Client, bucket, "artifacts", 5 * MiB);
        var content = RandomNumberGenerator.GetBytes((int)size);

        var stored = await store.PutAsync("web/run-1/primary.zip", new MemoryStream(content), size, timeout.Token);

        Assert.Equal(new StoredArtifact("web/run-1/primary.zip", size, Sha256(content)), stored);
        Assert.Equal(content, await ReadAllAsync(store, "web/run-1/primary.zip", timeout.Token));
        // Straight from the bucket, past the store: the object is exactly the bytes, no chunk framing.
        Assert.Equal(content, await ReadObjectAsync(bucket, "artifacts/web/run-1/primary.zip", timeout.Token));
    }

    [Fact]
    public async Task A_12_MiB_artifact_goes_up_in_5_MiB_parts_from_a_forward_only_stream_and_reads_back_identical()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var bucket = await s3.CreateBucketAsync("artifacts-multipart", timeout.Token);
        var store = new S3ArtifactStore(s3.Client, bucket, "", 5 * MiB);
        var content = RandomNumberGenerator.GetBytes((int)(12 * MiB));

        var stored = await store.PutAsync("web/run-1/primary.zip", new ForwardOnlyStream(content), content.Length, timeout.Token);

        Assert.Equal(Sha256(content), stored.Sha256);
        Assert.Equal(Sha256(content), Sha256(await ReadAllAsync(store, "web/run-1/primary.zip", timeout.Token)));
        var raw = await ReadObjectAsync(bucket, "web/run-1/primary.zip", timeout.Token);
        Assert.Equal(content.Length, raw.Length);
        Assert.Equal(content, raw);
        Assert.Equal(
            $"{Sha256(content)}  primary.zip\n",
            System.Text.Encoding.ASCII.GetString(await ReadObjectAsync(bucket, "web/run-1/primary.zip.sha256", timeout.Token)));
    }

    [Fact]
    public async Task A_store_made_from_options_round_trips_and_lists_by_prefix()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var bucket = await s3.CreateBucketAsync("artifacts-options", timeout.Token);
        using var store = S3ArtifactStore.Create(new ArtifactOptions
        {
            Backend = ArtifactOptions.S3Backend,
            S3ServiceUrl = new Uri(s3.ServiceUrl),
            S3Bucket = bucket,
            S3AccessKey = S3Fixture.AccessKey,
            S3SecretKey = S3Fixture.SecretKey,
            S3Prefix = "farm/",
            PartSizeBytes = 5 * MiB,
        });
        var big = RandomNumberGenerator.GetBytes((int)(11 * MiB));
        var small = RandomNumberGenerator.GetBytes(1000);
        var other = RandomNumberGenerator.GetBytes(10);

        var primary = await store.PutAsync("web/run-1/primary.zip", new MemoryStream(big), big.Length, timeout.Token);
        var reports = await store.PutAsync("web/run-1/reports.zip", new MemoryStream(small), small.Length, timeout.Token);
        await store.PutAsync("web/run-2/primary.zip", new MemoryStream(other), other.Length, timeout.Token);

        Assert.Equal(
            [new StoredArtifact("web/run-1/primary.zip", big.Length, Sha256(big)), new StoredArtifact("web/run-1/reports.zip", small.Length, Sha256(small))],
            await store.ListAsync("web/run-1/", timeout.Token));
        Assert.Equal([primary, reports], await store.ListAsync("web/run-1/", timeout.Token));
        Assert.Equal(3, (await store.ListAsync("web/", timeout.Token)).Count);
        Assert.Equal(3, (await store.ListAsync("", timeout.Token)).Count);
        Assert.Empty(await store.ListAsync("api/", timeout.Token));
        Assert.Equal(big, await ReadAllAsync(store, "web/run-1/primary.zip", timeout.Token));
        var keys = (await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, timeout.Token)).S3Objects.Select(o => o.Key);
        Assert.All(keys, k => Assert.StartsWith("farm/web/", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_read_from_an_offset_is_a_ranged_get_and_the_seekable_stream_serves_any_slice()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var bucket = await s3.CreateBucketAsync("artifacts-ranged", timeout.Token);
        var store = new S3ArtifactStore(s3.Client, bucket, "", 5 * MiB);
        var content = RandomNumberGenerator.GetBytes(300_000);
        await store.PutAsync("web/run-1/primary.zip", new MemoryStream(content), content.Length, timeout.Token);

        await using (var tail = await store.OpenReadAsync("web/run-1/primary.zip", 299_000, timeout.Token))
        {
            using var copy = new MemoryStream();
            await tail.CopyToAsync(copy, timeout.Token);
            Assert.Equal(content[299_000..], copy.ToArray());
        }

        await using (var end = await store.OpenReadAsync("web/run-1/primary.zip", content.Length, timeout.Token))
        {
            Assert.Equal(0, await end.ReadAsync(new byte[16], timeout.Token));
        }

        await using var seekable = new ArtifactReadStream(store, "web/run-1/primary.zip", content.Length);
        seekable.Seek(123_456, SeekOrigin.Begin);
        var slice = new byte[1000];
        await seekable.ReadExactlyAsync(slice, timeout.Token);
        Assert.Equal(content[123_456..124_456], slice);
        seekable.Seek(10, SeekOrigin.Begin);
        await seekable.ReadExactlyAsync(slice.AsMemory(0, 5), timeout.Token);
        Assert.Equal(content[10..15], slice[..5]);
    }

    [Theory]
    [InlineData(12 * MiB - 1, 12 * MiB)]
    [InlineData(12 * MiB + 1, 12 * MiB)]
    [InlineData(100, 101)]
    [InlineData(101, 100)]
    public async Task Content_of_another_length_than_declared_stores_nothing(long actual, long declared)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var bucket = await s3.CreateBucketAsync("artifacts-short", timeout.Token);
        var (client, recorder) = RecordingS3Proxy.Wrap(s3.Client);
        var store = new S3ArtifactStore(client, bucket, "", 5 * MiB);

        await Assert.ThrowsAsync<InvalidDataException>(() =>
            store.PutAsync("web/run-1/primary.zip", new ForwardOnlyStream(new byte[actual]), declared, timeout.Token));

        await AssertNothingStoredAsync(bucket, recorder, multipart: declared > 5 * MiB, timeout.Token);
    }

    [Fact]
    public async Task A_read_failure_in_the_middle_of_a_multipart_upload_aborts_it_and_surfaces_the_read_failure()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var bucket = await s3.CreateBucketAsync("artifacts-abort", timeout.Token);
        var (client, recorder) = RecordingS3Proxy.Wrap(s3.Client);
        var store = new S3ArtifactStore(client, bucket, "", 5 * MiB);
        var content = new ForwardOnlyStream(new byte[12 * MiB], failAt: 7 * MiB);

        var thrown = await Assert.ThrowsAsync<IOException>(() => store.PutAsync("web/run-1/primary.zip", content, 12 * MiB, timeout.Token));

        Assert.Contains("Simulated", thrown.Message, StringComparison.Ordinal);
        Assert.Single(recorder.Requests<UploadPartRequest>());
        await AssertNothingStoredAsync(bucket, recorder, multipart: true, timeout.Token);
    }

    private async Task AssertNothingStoredAsync(string bucket, RecordingS3Proxy recorder, bool multipart, CancellationToken cancellationToken)
    {
        var listed = await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, cancellationToken);
        Assert.Empty(listed.S3Objects ?? []);
        Assert.Empty(recorder.Requests<CompleteMultipartUploadRequest>());
        if (multipart)
        {
            // s3rver answers an abort with 405, so the request is the proof; the store swallows that
            // failure and reports the upload's own.
            Assert.Single(recorder.Calls, c => c.Method == nameof(IAmazonS3.InitiateMultipartUploadAsync));
            var abort = Assert.Single(recorder.Requests<AbortMultipartUploadRequest>());
            Assert.Equal("web/run-1/primary.zip", abort.Key);
            Assert.False(string.IsNullOrEmpty(abort.UploadId));
        }
        else
        {
            Assert.Empty(recorder.Requests<AbortMultipartUploadRequest>());
        }
    }

    [Fact]
    public async Task A_missing_artifact_is_file_not_found()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var bucket = await s3.CreateBucketAsync("artifacts-missing", timeout.Token);
        var store = new S3ArtifactStore(s3.Client, bucket, "", 5 * MiB);

        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync("web/run-1/primary.zip", timeout.Token));
    }

    [Fact]
    public async Task A_packaged_build_is_published_to_s3_and_unzips_with_its_executable_script()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var bucket = await s3.CreateBucketAsync("artifacts-publish", timeout.Token);
        var store = new S3ArtifactStore(s3.Client, bucket, "", 5 * MiB);
        var root = Directory.CreateTempSubdirectory("buildfarm-s3-publish-").FullName;
        try
        {
            var source = Path.Combine(root, "src");
            Directory.CreateDirectory(Path.Combine(source, "backend", "scripts"));
            Directory.CreateDirectory(Path.Combine(source, "backend", "build", "libs"));
            await File.WriteAllTextAsync(Path.Combine(source, "backend", "appspec.yml"), "version: 0.0\n", timeout.Token);
            await File.WriteAllBytesAsync(Path.Combine(source, "backend", "build", "libs", "app.jar"), RandomNumberGenerator.GetBytes(100_000), timeout.Token);
            var script = Path.Combine(source, "backend", "scripts", "start.sh");
            await File.WriteAllTextAsync(script, "#!/bin/sh\n", timeout.Token);
            File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
            var runId = Guid.NewGuid();
            var artifacts = new BuildSpecArtifacts(["appspec.yml", "build/libs/*.jar", "scripts/**/*"]) { BaseDirectory = "backend" };

            var result = await new ArtifactPublisher(new ArtifactPackager(), store)
                .PublishAsync("web", runId, artifacts, source, Path.Combine(root, "tmp"), _ => { }, timeout.Token);

            Assert.True(result.Succeeded, result.Error);
            var zip = Path.Combine(root, "downloaded.zip");
            await File.WriteAllBytesAsync(zip, await ReadAllAsync(store, $"web/{runId}/primary.zip", timeout.Token), timeout.Token);
            var extracted = Path.Combine(root, "extracted");
            await ZipFile.ExtractToDirectoryAsync(zip, extracted, timeout.Token);
            Assert.Equal(
                ["appspec.yml", "build/libs/app.jar", "scripts/start.sh"],
                Directory.GetFiles(extracted, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(extracted, f)).Order(StringComparer.Ordinal));
            Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(extracted, "scripts", "start.sh")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Forty_MiB_goes_up_and_down_at_a_measurable_rate()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var bucket = await s3.CreateBucketAsync("artifacts-rate", timeout.Token);
        using var store = S3ArtifactStore.Create(new ArtifactOptions
        {
            Backend = ArtifactOptions.S3Backend,
            S3ServiceUrl = new Uri(s3.ServiceUrl),
            S3Bucket = bucket,
            S3AccessKey = S3Fixture.AccessKey,
            S3SecretKey = S3Fixture.SecretKey,
        });
        var content = RandomNumberGenerator.GetBytes((int)(40 * MiB));

        var upload = Stopwatch.StartNew();
        var stored = await store.PutAsync("rate/run/primary.zip", new MemoryStream(content), content.Length, timeout.Token);
        upload.Stop();
        var download = Stopwatch.StartNew();
        var readBack = await ReadAllAsync(store, "rate/run/primary.zip", timeout.Token);
        download.Stop();

        Assert.Equal(Sha256(content), stored.Sha256);
        Assert.Equal(content, readBack);
        output.WriteLine(
            $"40 MiB, {new ArtifactOptions().PartSizeBytes / MiB} MiB parts: upload {Rate(content.Length, upload.Elapsed):F1} MB/s ({upload.ElapsedMilliseconds} ms), " +
            $"download {Rate(content.Length, download.Elapsed):F1} MB/s ({download.ElapsedMilliseconds} ms)");
    }

    private static double Rate(long bytes, TimeSpan elapsed) => bytes / 1e6 / elapsed.TotalSeconds;

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static async Task<byte[]> ReadAllAsync(IArtifactStore store, string key, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(key, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private async Task<byte[]> ReadObjectAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        using var response = await s3.Client.GetObjectAsync(bucket, key, cancellationToken);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
