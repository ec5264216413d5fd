namespace BuildFarm.UnitTests;

/// <summary>The checkout the tests run from, found by walking up to BuildFarm.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "BuildFarm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BuildFarm.sln not found above " + AppContext.BaseDirectory);
    }
}
