using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildFarm.Cli.Config;

/// <summary>
/// The CLI's settings file: the coordinator's gRPC URL, its HTTP URL and a token, so they need not be
/// passed on every command. A flag wins over the environment, which wins over the file.
/// </summary>
public sealed record CliConfig(
    [property: JsonPropertyName("server")] string? Server = null,
    [property: JsonPropertyName("http")] string? Http = null,
    [property: JsonPropertyName("token")] string? Token = null)
{
    public static readonly string[] Keys = ["server", "http", "token"];

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary><c>$BUILDFARM_CONFIG</c>, else <c>$XDG_CONFIG_HOME/buildfarm/config.json</c>, else <c>~/.config/buildfarm/config.json</c>.</summary>
    public static string DefaultPath(Func<string, string?> environment)
    {
        if (environment("BUILDFARM_CONFIG") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        var configHome = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(configHome, "buildfarm", "config.json");
    }

    /// <summary>The file's settings; none when it does not exist. A file that is not valid JSON is an error naming it, never silently ignored.</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object of these settings.</exception>
    public static CliConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            return new CliConfig();
        }

        try
        {
            return JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(path), Options) ?? new CliConfig();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}:{ex.LineNumber + 1}: not a valid buildfarm config file ({ex.Message})", ex);
        }
    }

    /// <summary>Writes the file readable by its owner only, since it may hold a token.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Options) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }

    public CliConfig With(string key, string? value) => key switch
    {
        "server" => this with { Server = value },
        "http" => this with { Http = value },
        "token" => this with { Token = value },
        _ => throw new ArgumentException($"unknown setting '{key}': use {string.Join(", ", Keys)}", nameof(key)),
    };

    /// <summary>The environment variable when set, else this file's value.</summary>
    public static string? Resolve(string? fromEnvironment, string? fromFile) =>
        string.IsNullOrEmpty(fromEnvironment) ? fromFile : fromEnvironment;
}
