using BuildFarm.Worker.Processes;

namespace BuildFarm.UnitTests.Worker.Processes;

public sealed class ProcStatTests
{
    [Fact]
    public void A_command_name_with_spaces_and_parentheses_does_not_shift_the_fields()
    {
        var parsed = ProcStat.TryParse("1234 (my (odd) name) Z 1 1230 1230 0 -1 4194560 0", out var stat);

        Assert.True(parsed);
        Assert.Equal(new ProcStat(1234, 'Z', 1, 1230, 1230), stat);
        Assert.True(stat.IsZombie);
    }

    [Fact]
    public void Truncated_text_is_rejected()
    {
        Assert.False(ProcStat.TryParse("1234 (bash) S 1", out _));
    }
}
