namespace Spumr.GraphMaintainer.State;

/// <summary>External string ids to dense internal ids, assigned in order of first sight and never reused.</summary>
internal sealed class ExternalIdMap
{
    private readonly Dictionary<string, int> _byExternal = new(StringComparer.Ordinal);
    private readonly List<string> _external = [];

    public int Count => _external.Count;

    public IReadOnlyList<string> External => _external;

    public bool TryGet(string external, out int id) => _byExternal.TryGetValue(external, out id);

    /// <summary>The id of <paramref name="external"/>, assigning the next one if it is new.</summary>
    public int GetOrAdd(string external, out bool added)
    {
        if (_byExternal.TryGetValue(external, out var id))
        {
            added = false;
            return id;
        }

        id = _external.Count;
        _byExternal.Add(external, id);
        _external.Add(external);
        added = true;
        return id;
    }
}
