using System.Text.Json;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.Coordinator.Secrets;

/// <summary>
/// Resolves a buildspec's <c>env.parameter-store</c> and <c>env.secrets-manager</c> entries for a
/// job. A secrets-manager reference is <c>secret-id[:json-key[:stage[:version]]]</c>, as in CodeBuild;
/// with a json-key the secret's value is read as a JSON object and that key's value is used.
/// </summary>
public sealed class JobSecrets(SecretStore store)
{
    public async Task<(Dictionary<string, string> Variables, List<string> Missing)> ResolveAsync(
        string definition, string fileName, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        var spec = BuildSpecParser.Parse(definition, fileName).Spec;
        if (spec is null)
        {
            return (variables, missing);
        }

        var references = spec.Env.ParameterStore.Select(p => (Variable: p.Key, Name: p.Value, JsonKey: (string?)null))
            .Concat(spec.Env.SecretsManager.Select(s =>
            {
                var parts = s.Value.Split(':');
                return (Variable: s.Key, Name: parts[0], JsonKey: parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null);
            }))
            .ToList();
        if (references.Count == 0)
        {
            return (variables, missing);
        }

        IReadOnlyDictionary<string, string> values;
        try
        {
            values = await store.ResolveAsync(references.Select(r => r.Name).Distinct().ToList(), cancellationToken);
        }
        catch (ConflictException ex)
        {
            // No key configured: every reference is unresolvable, and the job says why.
            missing.AddRange(references.Select(r => $"{r.Name} ({ex.Message})"));
            return (variables, missing);
        }

        foreach (var (variable, name, jsonKey) in references)
        {
            if (!values.TryGetValue(name, out var value))
            {
                missing.Add(name);
            }
            else if (jsonKey is null)
            {
                variables[variable] = value;
            }
            else if (TryReadJsonKey(value, jsonKey, out var field))
            {
                variables[variable] = field;
            }
            else
            {
                missing.Add($"{name}:{jsonKey}");
            }
        }

        return (variables, missing);
    }

    private static bool TryReadJsonKey(string json, string key, out string value)
    {
        value = "";
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(key, out var property))
            {
                value = property.ValueKind == JsonValueKind.String ? property.GetString()! : property.GetRawText();
                return true;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the key cannot be read, which the job reports as a missing secret key.
        }

        return false;
    }
}
