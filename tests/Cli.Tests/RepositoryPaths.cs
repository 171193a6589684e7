namespace Spumr.Cli.Tests;

/// <summary>Finds the repository (the folder holding Spumr.sln) from wherever the tests run.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Data(string name) => Path.Combine(Root, "data", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Spumr.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Spumr.sln above {AppContext.BaseDirectory}.");
    }
}
