namespace BuildFarm.Cli.Commands;

/// <summary>
/// The small grammar the CLI needs: positionals, `--option value` (repeatable) and a few flags. Hand-rolled
/// because the CLI takes no packages beyond the SDK's.
/// </summary>
public sealed class CommandLine
{
    private static readonly HashSet<string> FlagNames = ["--json", "-f", "--follow", "--apply", "--abandon", "--direct", "--all"];
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    public List<string> Positionals { get; } = [];

    /// <summary>Set when the arguments could not be read, e.g. an option without its value.</summary>
    public string? Error { get; private set; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (FlagNames.Contains(arg))
            {
                line._flags.Add(arg);
            }
            else if (arg.StartsWith('-') && arg.Length > 1)
            {
                if (i + 1 >= args.Count)
                {
                    line.Error ??= $"{arg} needs a value";
                    break;
                }

                if (!line._options.TryGetValue(arg, out var values))
                {
                    line._options[arg] = values = [];
                }

                values.Add(args[++i]);
            }
            else
            {
                line.Positionals.Add(arg);
            }
        }

        return line;
    }

    public string? Option(string name) => _options.TryGetValue(name, out var values) ? values[^1] : null;

    public IReadOnlyList<string> Options(string name) => _options.TryGetValue(name, out var values) ? values : [];

    public bool Flag(params string[] names) => names.Any(_flags.Contains);

    /// <summary>Names of options given but not in <paramref name="known"/>, so a typo is refused rather than ignored.</summary>
    public IEnumerable<string> Unknown(params string[] known) => _options.Keys.Where(k => !known.Contains(k));
}
