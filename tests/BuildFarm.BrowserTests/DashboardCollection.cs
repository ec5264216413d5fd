namespace BuildFarm.BrowserTests;

/// <summary>Every browser test shares one embedded farm and one Chromium: starting them is most of the cost.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
