namespace BuildFarm.IntegrationTests.Scenarios;

/// <summary>
/// A buildspec and its expected outcome, written as <c># expect …</c> comment lines at its top:
/// <c>status: S</c>, <c>exit: N</c>, <c>phase NAME: STATUS [EXIT]</c>, <c>log: TEXT</c>, <c>no-log: TEXT</c>.
/// </summary>
public sealed record ScenarioFile(
    string Name,
    string Definition,
    string Status,
    int? Exit,
    IReadOnlyDictionary<string, (string Status, int? Exit)> Phases,
    IReadOnlyList<string> LogContains,
    IReadOnlyList<string> LogExcludes)
{
    public static ScenarioFile Load(string path)
    {
        var text = File.ReadAllText(path);
        string status = "Succeeded";
        int? exit = null;
        var phases = new Dictionary<string, (string, int?)>();
        var contains = new List<string>();
        var excludes = new List<string>();
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("# expect ", StringComparison.Ordinal)))
        {
            var body = line["# expect ".Length..].TrimEnd('\r');
            var colon = body.IndexOf(": ", StringComparison.Ordinal);
            var (key, value) = (body[..colon], body[(colon + 2)..]);
            switch (key)
            {
                case "status": status = value; break;
                case "exit": exit = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "log": contains.Add(value); break;
                case "no-log": excludes.Add(value); break;
                default:
                    var parts = value.Split(' ');
                    phases[key["phase ".Length..]] = (parts[0], parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : null);
                    break;
            }
        }

        return new ScenarioFile(Path.GetFileNameWithoutExtension(path), text, status, exit, phases, contains, excludes);
    }
}
