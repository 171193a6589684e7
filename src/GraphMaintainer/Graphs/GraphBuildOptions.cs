namespace Spumr.GraphMaintainer.Graphs;

/// <summary>Settings of a batch build.</summary>
/// <param name="Neighbors">k, the most neighbours per row (MODEL.md default 10).</param>
/// <param name="MaxDegreeOfParallelism">Worker threads; 0 means one per core.</param>
public sealed record GraphBuildOptions(int Neighbors = 10, int MaxDegreeOfParallelism = 0)
{
    public void Validate()
    {
        if (Neighbors is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(Neighbors), Neighbors, "Neighbors (k) must be between 1 and 1000.");
        }

        if (MaxDegreeOfParallelism < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be 0 (all cores) or positive.");
        }
    }
}
