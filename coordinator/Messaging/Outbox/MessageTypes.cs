using System.Collections.Frozen;
using System.Text.Json;
using BuildFarm.Contracts.Commands;

namespace BuildFarm.Coordinator.Messaging.Outbox;

/// <summary>Resolves an outbox row's stored type name; only contract types may travel.</summary>
public static class MessageTypes
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly FrozenDictionary<string, Type> ByName = typeof(RunJob).Assembly
        .GetExportedTypes()
        .Where(t => t.Namespace?.StartsWith("BuildFarm.Contracts", StringComparison.Ordinal) == true)
        .ToFrozenDictionary(t => t.FullName!, t => t);

    public static Type Resolve(string name) =>
        ByName.TryGetValue(name, out var type)
            ? type
            : throw new InvalidOperationException($"Outbox message type '{name}' is not a BuildFarm contract.");
}
