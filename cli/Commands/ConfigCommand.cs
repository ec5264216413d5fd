using System.Text.Json;
using BuildFarm.Cli.Config;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm config show [--json]` and `buildfarm config set KEY VALUE | unset KEY`: the CLI's settings file.</summary>
public static class ConfigCommand
{
    public const string Usage = """
               buildfarm config show [--json]                     the settings file (path, server, http, token masked)
               buildfarm config set server|http|token VALUE       store a setting; unset KEY removes it
               (a flag wins over BUILDFARM_SERVER / BUILDFARM_HTTP / BUILDFARM_TOKEN, which win over the file;
                the file is $BUILDFARM_CONFIG, else ~/.config/buildfarm/config.json)
        """;

    public static async Task<int> ExecuteAsync(IReadOnlyList<string> args, string path, TextWriter output, TextWriter error)
    {
        var line = CommandLine.Parse(args);
        var p = line.Positionals;
        CliConfig config;
        try
        {
            config = CliConfig.Load(path);
        }
        catch (InvalidDataException ex)
        {
            await error.WriteLineAsync($"buildfarm: {ex.Message}");
            return 2;
        }

        switch (p.ElementAtOrDefault(1), p.Count)
        {
            case ("show", 2):
                if (line.Flag("--json"))
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(new { path, server = config.Server, http = config.Http, token = Mask(config.Token) }));
                }
                else
                {
                    await output.WriteLineAsync($"file:   {path}{(File.Exists(path) ? "" : " (does not exist)")}");
                    await output.WriteLineAsync($"server: {config.Server ?? "-"}");
                    await output.WriteLineAsync($"http:   {config.Http ?? "-"}");
                    await output.WriteLineAsync($"token:  {Mask(config.Token) ?? "-"}");
                }

                return 0;
            case ("set", 4) or ("unset", 3) when CliConfig.Keys.Contains(p[2]):
                var value = p[1] == "set" ? p[3] : null;
                if (value is not null && p[2] is "server" or "http" && !Uri.TryCreate(value, UriKind.Absolute, out _))
                {
                    await error.WriteLineAsync($"buildfarm: {p[2]} {value}: not an absolute URL");
                    return 2;
                }

                config.With(p[2], value).Save(path);
                await output.WriteLineAsync(value is null ? $"{p[2]} removed from {path}" : $"{p[2]} stored in {path}");
                return 0;
            default:
                await error.WriteLineAsync($"buildfarm: unknown config command: {string.Join(' ', p)}");
                await error.WriteLineAsync(Usage);
                return 2;
        }
    }

    // Enough to tell tokens apart (bf_<id>_…), never enough to use one.
    private static string? Mask(string? token)
    {
        if (token is null)
        {
            return null;
        }

        var cut = token.StartsWith("bf_", StringComparison.Ordinal) ? token.IndexOf('_', 3) : -1;
        return cut > 0 ? $"{token[..(cut + 1)]}****" : "****";
    }
}
