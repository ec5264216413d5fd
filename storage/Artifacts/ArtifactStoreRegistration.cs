using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BuildFarm.Storage.Artifacts;

/// <summary>Registers the artifact store <c>Artifacts:*</c> configures; coordinator and worker both call it.</summary>
public static class ArtifactStoreRegistration
{
    /// <summary>
    /// Binds and validates <see cref="ArtifactOptions"/> at start and adds one <see cref="IArtifactStore"/>.
    /// Idempotent, because the embedded farm wires the coordinator and the worker into one container.
    /// </summary>
    public static IServiceCollection AddArtifactStore(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IArtifactStore)))
        {
            return services;
        }

        services.AddOptions<ArtifactOptions>().BindConfiguration(ArtifactOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ArtifactOptions>, ArtifactOptionsValidator>());
        services.AddSingleton<IArtifactStore>(sp => ArtifactStores.Create(sp.GetRequiredService<IOptions<ArtifactOptions>>().Value));
        return services;
    }
}
