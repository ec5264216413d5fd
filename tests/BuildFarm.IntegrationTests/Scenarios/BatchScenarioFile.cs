namespace BuildFarm.IntegrationTests.Scenarios;

/// <summary>
/// A buildspec with a <c>batch</c> section and its expected outcome, as <c># expect …</c> lines at its top:
/// <c>status: S</c> (the batch run), <c>run-reason: TEXT</c>, <c>jobs: N</c>, and per member build
/// <c>build ID: STATUS</c>, <c>reason ID: TEXT</c> (the job's reason), <c>after ID: OTHER</c> (ID started only once
/// OTHER had finished), <c>log ID: TEXT</c>, <c>no-log ID: TEXT</c>.
/// </summary>
public sealed record BatchScenarioFile(
    string Name,
    string Definition,
    IReadOnlyList<(string Key, string Subject, string Value)> Expectations)
{
    public string Status => Expectations.Where(e => e.Key == "status").Select(e => e.Value).DefaultIfEmpty("Succeeded").Single();

    public IEnumerable<(string Subject, string Value)> All(string key) =>
        Expectations.Where(e => e.Key == key).Select(e => (e.Subject, e.Value));

    public static BatchScenarioFile Load(string path)
    {
        var text = File.ReadAllText(path);
        var expectations = new List<(string, string, string)>();
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("# expect ", StringComparison.Ordinal)))
        {
            var body = line["# expect ".Length..].TrimEnd('\r');
            var colon = body.IndexOf(": ", StringComparison.Ordinal);
            var words = body[..colon].Split(' ', 2);
            expectations.Add((words[0], words.Length > 1 ? words[1] : "", body[(colon + 2)..]));
        }

        return new BatchScenarioFile(Path.GetFileNameWithoutExtension(path), text, expectations);
    }
}
