using System.ComponentModel.DataAnnotations;

namespace Spumr.GraphMaintainer.State;

/// <summary>Settings of the maintained graph state. Bindable from configuration.</summary>
public sealed class GraphStateOptions
{
    public const string SectionName = "GraphMaintainer:Graphs";

    /// <summary>k, the neighbours listed per row (MODEL.md default 10).</summary>
    [Range(1, 1000)]
    public int Neighbors { get; set; } = 10;

    /// <summary>
    /// Members kept per row (≥ k): the spare ones absorb falling weights without a full rescan
    /// of the row. 0 means 2k.
    /// </summary>
    [Range(0, 100_000)]
    public int CandidateCapacity { get; set; }

    /// <summary>Worker threads for repairs; 0 means one per core.</summary>
    [Range(0, 1024)]
    public int MaxDegreeOfParallelism { get; set; }

    /// <summary>
    /// How many applied event ids are remembered to drop repeats: 0 (the default) remembers every
    /// one; W &gt; 0 remembers at least the newest W/2 and at most W (about 40 bytes each), so memory
    /// stays bounded on an endless stream. Not part of a snapshot's identity: it may change between runs.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int DedupeWindow { get; set; }

    /// <summary>The modalities, each with its fixed vector width, in a stable order.</summary>
    [Required]
    public List<ModalitySpec> Modalities { get; set; } = [];

    public int EffectiveCapacity => CandidateCapacity == 0 ? 2 * Neighbors : CandidateCapacity;

    /// <summary>A deep copy, so that later edits to these options cannot reach a state built from them.</summary>
    public GraphStateOptions Copy() => new()
    {
        Neighbors = Neighbors,
        CandidateCapacity = CandidateCapacity,
        MaxDegreeOfParallelism = MaxDegreeOfParallelism,
        DedupeWindow = DedupeWindow,
        Modalities = [.. Modalities.Select(m => new ModalitySpec(m.Name, m.Width))],
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Neighbors is < 1 or > 1000)
        {
            throw new ArgumentException($"Neighbors (k) must be between 1 and 1000; got {Neighbors}.");
        }

        if (CandidateCapacity != 0 && CandidateCapacity < Neighbors)
        {
            throw new ArgumentException($"CandidateCapacity ({CandidateCapacity}) must be 0 (meaning 2k) or at least Neighbors ({Neighbors}).");
        }

        if (MaxDegreeOfParallelism < 0)
        {
            throw new ArgumentException($"MaxDegreeOfParallelism must be 0 (all cores) or positive; got {MaxDegreeOfParallelism}.");
        }

        if (DedupeWindow is < 0 or 1)
        {
            throw new ArgumentException($"DedupeWindow must be 0 (remember every event id) or at least 2; got {DedupeWindow}.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in Modalities ?? [])
        {
            if (string.IsNullOrWhiteSpace(m.Name))
            {
                throw new ArgumentException("Every modality needs a name.");
            }

            if (m.Width < 1)
            {
                throw new ArgumentException($"Modality '{m.Name}' needs a positive width; got {m.Width}.");
            }

            if (!seen.Add(m.Name))
            {
                throw new ArgumentException($"Modality '{m.Name}' is listed twice.");
            }
        }
    }
}

/// <summary>A modality and the fixed width of its vectors.</summary>
public sealed class ModalitySpec
{
    public ModalitySpec()
    {
    }

    public ModalitySpec(string name, int width)
    {
        Name = name;
        Width = width;
    }

    [Required]
    public string Name { get; set; } = "";

    [Range(1, 1 << 20)]
    public int Width { get; set; }
}
