namespace BuildFarm.Core.Runs;

/// <summary>
/// Turns a name people chose (a worker id, an instance name) into a RabbitMQ queue name part: lower case
/// letters, digits, '-', '_' and '.', anything else a '-', so every transport and broker accepts it.
/// </summary>
public static class QueueName
{
    public static string Of(string prefix, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return prefix + new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? char.ToLowerInvariant(c) : '-').ToArray());
    }
}
