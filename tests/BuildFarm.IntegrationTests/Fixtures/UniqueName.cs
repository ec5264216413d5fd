using System.Text;

namespace BuildFarm.IntegrationTests.Fixtures;

// Test classes run in parallel and a long-lived developer server may hold leftovers from earlier
// runs, so every name gets a random suffix. Only [a-z0-9] and one separator survive, because that
// is legal everywhere: Postgres identifiers, RabbitMQ vhosts, S3 bucket names and Redis keys.
internal static class UniqueName
{
    public static string Create(string prefix, char separator, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var cleaned = new StringBuilder(prefix.Length);
        foreach (var c in prefix.ToLowerInvariant())
        {
            var keep = c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (keep || (cleaned.Length > 0 && cleaned[^1] != separator))
            {
                cleaned.Append(keep ? c : separator);
            }
        }

        var head = cleaned.ToString().Trim(separator);
        var room = maxLength - suffix.Length - 4;
        if (head.Length > room)
        {
            head = head[..room].TrimEnd(separator);
        }

        return head.Length == 0 ? $"bf{separator}{suffix}" : $"bf{separator}{head}{separator}{suffix}";
    }
}
