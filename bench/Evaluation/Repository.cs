namespace Spumr.Bench.Evaluation;

/// <summary>Finds the repository (the folder holding Spumr.sln) from the benchmark's output folder.</summary>
internal static class Repository
{
    public static string Data(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Spumr.sln")))
            {
                return Path.Combine(dir.FullName, "data", name);
            }
        }

        throw new InvalidOperationException($"No Spumr.sln above {AppContext.BaseDirectory}.");
    }
}
