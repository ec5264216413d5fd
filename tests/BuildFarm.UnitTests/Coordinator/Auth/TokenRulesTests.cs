extern alias coordinator;

using coordinator::BuildFarm.Coordinator.Auth;
using coordinator::BuildFarm.Coordinator.Options;

namespace BuildFarm.UnitTests.Coordinator.Auth;

public sealed class TokenRulesTests
{
    [Fact]
    public void A_created_token_parses_back_to_its_id_and_its_secret_matches_the_stored_hash()
    {
        var id = Guid.NewGuid();
        var (token, hash) = TokenFormat.Create(id);

        Assert.True(TokenFormat.TryParse(token, out var parsedId, out var secret));
        Assert.Equal(id, parsedId);
        Assert.Equal(hash, TokenFormat.Hash(secret));
        Assert.NotEqual(TokenFormat.Create(id).Token, token);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hunter2")]
    [InlineData("bf_nothex00000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("bf_00000000000000000000000000000000-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("bf_00000000000000000000000000000000_short")]
    public void Anything_else_is_not_a_token(string text) => Assert.False(TokenFormat.TryParse(text, out _, out _));

    [Fact]
    public void The_distributed_farm_refuses_to_start_without_a_long_enough_bootstrap_token()
    {
        var validator = new AuthOptionsValidator();

        var missing = validator.Validate(null, new AuthOptions());
        var shortOne = validator.Validate(null, new AuthOptions { BootstrapToken = "short" });
        var unknownMode = validator.Validate(null, new AuthOptions { Mode = "Maybe", BootstrapToken = new string('x', 40) });

        Assert.True(missing.Failed);
        Assert.Contains("Auth__BootstrapToken", missing.FailureMessage, StringComparison.Ordinal);
        Assert.True(shortOne.Failed);
        Assert.True(unknownMode.Failed);
        Assert.True(validator.Validate(null, new AuthOptions { BootstrapToken = new string('x', 32) }).Succeeded);
        Assert.True(validator.Validate(null, new AuthOptions { Mode = "None" }).Succeeded);
    }

    [Fact]
    public void Roles_grant_what_their_names_promise()
    {
        Assert.Equal(Permissions.All.Order(), Roles.PermissionsOf(Roles.Admin).Order());
        Assert.DoesNotContain(Permissions.Trigger, Roles.PermissionsOf(Roles.Viewer));
        Assert.DoesNotContain(Permissions.Operate, Roles.PermissionsOf(Roles.Trigger));
        Assert.Equal([Permissions.Work], Roles.PermissionsOf(Roles.Worker));
        Assert.DoesNotContain(Permissions.Work, Roles.PermissionsOf(Roles.Operator));
        Assert.Empty(Roles.PermissionsOf("wizard"));
    }
}
