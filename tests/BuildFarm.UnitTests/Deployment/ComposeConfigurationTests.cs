extern alias coordinator;

using System.Reflection;
using System.Text.RegularExpressions;
using coordinator::BuildFarm.Coordinator.Options;
using BuildFarm.Storage.Artifacts;
using BuildFarm.Storage.Caching;
using BuildFarm.Worker.Options;
using YamlDotNet.RepresentationModel;

namespace BuildFarm.UnitTests.Deployment;

/// <summary>No Docker engine runs here, so the compose file is checked against what the hosts really bind.</summary>
public sealed partial class ComposeConfigurationTests
{
    private static readonly Type[] CoordinatorOptionTypes = [typeof(AuthOptions), typeof(CoordinatorOptions), typeof(DatabaseOptions), typeof(MessagingOptions), typeof(SchedulingOptions), typeof(coordinator::BuildFarm.Coordinator.Options.LogOptions), typeof(ArtifactOptions), typeof(CacheOptions)];
    private static readonly Type[] WorkerOptionTypes = [typeof(WorkerOptions), typeof(WorkerMessagingOptions), typeof(BuildFarm.Worker.Options.LogOptions), typeof(ArtifactOptions), typeof(CacheOptions)];

    [Fact]
    public void Every_environment_key_the_compose_file_sets_is_bound_by_its_host()
    {
        var services = LoadServices();
        var unknown = new List<string>();
        foreach (var (service, keys) in services)
        {
            var image = service.StartsWith("worker", StringComparison.Ordinal) ? WorkerOptionTypes
                : service == "coordinator" ? CoordinatorOptionTypes
                : null;
            if (image is null)
            {
                continue;
            }

            var bound = BoundKeys(image);
            unknown.AddRange(keys.Where(k => !bound.Contains(k)).Select(k => $"{service}: {k}"));
        }

        Assert.Contains("coordinator", services.Keys);
        Assert.Contains("worker-1", services.Keys);
        Assert.Empty(unknown);
    }

    [Fact]
    public void The_compose_file_has_the_backing_services_and_two_workers()
    {
        var services = LoadServices();
        foreach (var name in new[] { "postgres", "rabbitmq", "redis", "minio", "coordinator", "worker-1", "worker-2" })
        {
            Assert.Contains(name, services.Keys);
        }
    }

    [Theory]
    [InlineData("coordinator/Dockerfile")]
    [InlineData("worker/Dockerfile")]
    public void Dockerfiles_publish_projects_that_exist(string dockerfile)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, dockerfile));
        var projects = ProjectPattern().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(projects);
        Assert.All(projects, p => Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, p)), $"{dockerfile} names {p}, which does not exist"));
    }

    private static HashSet<string> BoundKeys(IEnumerable<Type> optionTypes) =>
        optionTypes.SelectMany(t =>
        {
            var section = (string)t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            return t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => $"{section}__{p.Name}");
        }).ToHashSet(StringComparer.Ordinal);

    private static Dictionary<string, List<string>> LoadServices()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        var result = new Dictionary<string, List<string>>();
        foreach (var (name, definition) in services.Children)
        {
            var keys = new List<string>();
            if (definition is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("environment"), out var env) && env is YamlMappingNode envMap)
            {
                keys.AddRange(envMap.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!));
            }

            result[((YamlScalarNode)name).Value!] = keys;
        }

        return result;
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex ProjectPattern();
}
