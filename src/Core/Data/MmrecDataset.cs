namespace Spumr.Core.Data;

/// <summary>
/// An MMRec-format data set: interactions with their split, one feature matrix per modality,
/// and optional external ids. Internal ids are dense: users 0..UserCount-1, items 0..ItemCount-1.
/// </summary>
public sealed class MmrecDataset
{
    private UserItemMatrix? _train;
    private UserItemMatrix? _validation;
    private UserItemMatrix? _test;

    public MmrecDataset(
        string name,
        int userCount,
        int itemCount,
        InteractionTable interactions,
        IReadOnlyList<FeatureMatrix> features,
        IReadOnlyList<string>? userExternalIds = null,
        IReadOnlyList<string>? itemExternalIds = null)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(features);
        foreach (var f in features)
        {
            if (f.Rows != itemCount)
            {
                throw new ArgumentException($"Modality '{f.Modality}' has {f.Rows} rows for {itemCount} items.", nameof(features));
            }
        }

        Name = name;
        UserCount = userCount;
        ItemCount = itemCount;
        Interactions = interactions;
        Features = features;
        UserExternalIds = userExternalIds;
        ItemExternalIds = itemExternalIds;
    }

    public string Name { get; }

    public int UserCount { get; }

    public int ItemCount { get; }

    public InteractionTable Interactions { get; }

    /// <summary>Modalities in a stable order: image, text, then the rest by name.</summary>
    public IReadOnlyList<FeatureMatrix> Features { get; }

    public IReadOnlyList<string>? UserExternalIds { get; }

    public IReadOnlyList<string>? ItemExternalIds { get; }

    public UserItemMatrix Train => _train ??= UserItemMatrix.FromTable(Interactions, UserCount, ItemCount, SplitLabel.Train);

    public UserItemMatrix Validation => _validation ??= UserItemMatrix.FromTable(Interactions, UserCount, ItemCount, SplitLabel.Validation);

    public UserItemMatrix Test => _test ??= UserItemMatrix.FromTable(Interactions, UserCount, ItemCount, SplitLabel.Test);

    public FeatureMatrix? FindModality(string modality) => Features.FirstOrDefault(f => f.Modality == modality);

    /// <summary>Fraction of the user x item matrix that is empty.</summary>
    public double Sparsity => 1.0 - (Interactions.Count / ((double)UserCount * ItemCount));

    public string UserExternalId(int user) => UserExternalIds?[user] ?? user.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string ItemExternalId(int item) => ItemExternalIds?[item] ?? item.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
