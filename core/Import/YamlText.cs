using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BuildFarm.Core.Import;

/// <summary>Writes a string as a YAML scalar: plain where that reads back as the same string, else double-quoted.</summary>
internal static partial class YamlText
{
    public static string Scalar(string value) =>
        Plain().IsMatch(value) && !LooksLikeAnotherType(value)
            ? value
            // A JSON string is a valid YAML double-quoted scalar with the same escapes.
            : JsonSerializer.Serialize(value);

    private static bool LooksLikeAnotherType(string value) =>
        value.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~"
        || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    [GeneratedRegex(@"\A[A-Za-z0-9_./][A-Za-z0-9_./@+-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();
}
