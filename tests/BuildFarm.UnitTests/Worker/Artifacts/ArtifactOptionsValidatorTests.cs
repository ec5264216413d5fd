using System.ComponentModel.DataAnnotations;
using BuildFarm.Storage.Artifacts;

namespace BuildFarm.UnitTests.Worker.Artifacts;

public sealed class ArtifactOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_a_valid_file_system_store()
    {
        var options = new ArtifactOptions();

        Assert.True(new ArtifactOptionsValidator().Validate(null, options).Succeeded);
        Assert.Empty(Annotations(options));
        Assert.Equal("Artifacts", ArtifactOptions.SectionName);
    }

    [Fact]
    public void S3_without_its_settings_fails_naming_each_missing_key()
    {
        var result = new ArtifactOptionsValidator().Validate(null, new ArtifactOptions { Backend = "S3" });

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
        foreach (var key in new[] { "Artifacts:S3ServiceUrl", "Artifacts:S3Bucket", "Artifacts:S3AccessKey", "Artifacts:S3SecretKey" })
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void S3_with_url_bucket_and_keys_is_valid()
    {
        var options = new ArtifactOptions
        {
            Backend = "S3",
            S3ServiceUrl = new Uri("http://127.0.0.1:9000"),
            S3Bucket = "artifacts",
            S3AccessKey = "access",
            S3SecretKey = "secret",
            S3Prefix = "buildfarm/",
        };

        Assert.True(new ArtifactOptionsValidator().Validate(null, options).Succeeded);
        Assert.Empty(Annotations(options));
    }

    [Theory]
    [InlineData("ftp://host/")]
    [InlineData("/relative")]
    public void S3_needs_an_http_url(string url)
    {
        var options = new ArtifactOptions
        {
            Backend = "S3",
            S3ServiceUrl = new Uri(url, UriKind.RelativeOrAbsolute),
            S3Bucket = "b",
            S3AccessKey = "a",
            S3SecretKey = "s",
        };

        var result = new ArtifactOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.StartsWith("Artifacts:S3ServiceUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void A_prefix_that_leaves_the_bucket_root_is_refused()
    {
        var options = new ArtifactOptions
        {
            Backend = "S3",
            S3ServiceUrl = new Uri("http://127.0.0.1:9000"),
            S3Bucket = "b",
            S3AccessKey = "a",
            S3SecretKey = "s",
            S3Prefix = "../other",
        };

        Assert.Contains(new ArtifactOptionsValidator().Validate(null, options).Failures!, f => f.Contains("S3Prefix", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Azure", "Artifacts:Backend")]
    [InlineData("FileSystem", null)]
    public void The_backend_is_one_of_the_two(string backend, string? failure)
    {
        var errors = Annotations(new ArtifactOptions { Backend = backend });

        Assert.Equal(failure is null ? 0 : 1, errors.Count(e => e.Contains("Artifacts:Backend", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(5L * 1024 * 1024 - 1, false)]
    [InlineData(5L * 1024 * 1024, true)]
    [InlineData(1024L * 1024 * 1024, true)]
    [InlineData(1024L * 1024 * 1024 + 1, false)]
    public void The_part_size_is_at_least_S3s_minimum(long partSize, bool valid)
    {
        Assert.Equal(valid, Annotations(new ArtifactOptions { PartSizeBytes = partSize }).Count == 0);
    }

    private static List<string> Annotations(ArtifactOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }
}
