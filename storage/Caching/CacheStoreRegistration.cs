using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BuildFarm.Storage.Caching;

/// <summary>Registers the dependency cache's store <c>Cache:*</c> configures; workers and the coordinator both call it.</summary>
public static class CacheStoreRegistration
{
    /// <summary>
    /// Binds and validates <see cref="CacheOptions"/> at start and adds one <see cref="ICacheStore"/>.
    /// Idempotent, because the embedded farm wires the coordinator and the worker into one container.
    /// </summary>
    public static IServiceCollection AddCacheStore(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ICacheStore)))
        {
            return services;
        }

        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CacheOptions>, CacheOptionsValidator>());
        services.AddSingleton<ICacheStore>(sp => CacheStores.Create(sp.GetRequiredService<IOptions<CacheOptions>>().Value));
        return services;
    }
}
