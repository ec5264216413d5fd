using Google.Protobuf;

namespace BuildFarm.Cli.Output;

/// <summary>Proto messages as JSON for scripts: proto3 JSON names, and default values written so fields never go missing.</summary>
public static class Json
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static Task WriteAsync(TextWriter output, IMessage message) => output.WriteLineAsync(Formatter.Format(message));
}
