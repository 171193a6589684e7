using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Spumr.Core.Data;
using Spumr.Core.Events;
using Spumr.GraphMaintainer.Graphs;

namespace Spumr.GraphMaintainer.State;

/// <summary>
/// The GraphMaintainer's state: interactions, item vectors, user profiles and the four graph
/// families, kept equal to a batch build of the same data (<see cref="BatchGraphBuilder"/>) after
/// every applied batch. Events may come in any order; an event id applied before changes nothing
/// (every id ever applied, or the newest of them with a <see cref="GraphStateOptions.DedupeWindow"/>).
/// Single writer: apply batches from one thread; snapshots are taken between batches.
/// </summary>
/// <remarks>
/// Semantics (identical in <see cref="BatchGraphBuilder"/>): a user-item pair counts once in
/// N(u) and U(i) however often it occurs (every occurrence stays in the history); the latest
/// feature event for an item and modality wins; a user's profile in modality m sums the vectors
/// of the user's items that have one in m; a zero vector is stored but gives no edges.
/// </remarks>
public sealed class GraphState : IGraphStateView
{
    private const byte InteractionKind = 1;
    private const byte FeaturesKind = 2;

    private readonly GraphStateOptions _options;
    private readonly int _workers;
    private readonly ExternalIdMap _users = new();
    private readonly ExternalIdMap _items = new();
    private readonly List<List<InteractionRecord>> _histories = [];
    private readonly SortedIdSets _userItems = new();
    private readonly SortedIdSets _itemUsers = new();
    private readonly ModalStore[] _modal;
    private readonly Dictionary<string, int> _modalIndex = new(StringComparer.Ordinal);
    private readonly MaintainedNeighborLists _jaccard;
    private readonly MaintainedNeighborLists _cooccurrence;
    private readonly OverlapRows _jaccardRows;
    private readonly OverlapRows _cooccurrenceRows;
    private readonly AppliedEventKeys _appliedEvents;

    public GraphState(GraphStateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Copy();
        _workers = ParallelLoop.Workers(options.MaxDegreeOfParallelism);
        var k = options.Neighbors;
        var capacity = options.EffectiveCapacity;
        _modal = [.. options.Modalities.Select(m => new ModalStore(m, k, capacity))];
        for (var i = 0; i < _modal.Length; i++)
        {
            _modalIndex[_modal[i].Spec.Name] = i;
        }

        _jaccard = new MaintainedNeighborLists(k, capacity);
        _cooccurrence = new MaintainedNeighborLists(k, capacity);
        _jaccardRows = new OverlapRows(_userItems, _itemUsers, OverlapMeasure.Jaccard);
        _appliedEvents = new AppliedEventKeys(options.DedupeWindow);
        _cooccurrenceRows = new OverlapRows(_itemUsers, _userItems, OverlapMeasure.Cosine);
    }

    public GraphStateOptions Options => _options;

    public int Neighbors => _options.Neighbors;

    public IReadOnlyList<ModalitySpec> Modalities => _options.Modalities;

    public int UserCount => _users.Count;

    public int ItemCount => _items.Count;

    public IReadOnlyList<string> UserIds => _users.External;

    public IReadOnlyList<string> ItemIds => _items.External;

    public long AppliedEventCount { get; private set; }

    public long BatchCount { get; private set; }

    internal IReadOnlyList<List<InteractionRecord>> Histories => _histories;

    internal AppliedEventKeys AppliedEventKeys => _appliedEvents;

    internal IReadOnlyList<ModalStore> ModalStores => _modal;

    internal MaintainedNeighborLists JaccardLists => _jaccard;

    internal MaintainedNeighborLists CooccurrenceLists => _cooccurrence;

    /// <summary>Every graph's lists in snapshot order: item graph per modality, user graph per modality, Jaccard, co-occurrence.</summary>
    internal IEnumerable<MaintainedNeighborLists> AllLists()
    {
        foreach (var m in _modal)
        {
            yield return m.ItemLists;
        }

        foreach (var m in _modal)
        {
            yield return m.UserLists;
        }

        yield return _jaccard;
        yield return _cooccurrence;
    }

    public bool TryGetUser(string externalId, out int user) => _users.TryGet(externalId, out user);

    public bool TryGetItem(string externalId, out int item) => _items.TryGet(externalId, out item);

    public ReadOnlySpan<InteractionRecord> InteractionsOf(int user) => CollectionsMarshal.AsSpan(_histories[user]);

    public ReadOnlySpan<int> ItemsOf(int user) => _userItems.SetOf(user);

    public ReadOnlySpan<int> UsersOf(int item) => _itemUsers.SetOf(item);

    /// <summary>
    /// Assigns internal ids to external ids ahead of their events, in the order given (ids seen
    /// before keep theirs). Lets a state share a data set's internal ids.
    /// </summary>
    public void RegisterIds(IEnumerable<string> users, IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        foreach (var u in users)
        {
            RequireId(null, u, "user id");
            _users.GetOrAdd(u, out _);
        }

        foreach (var i in items)
        {
            RequireId(null, i, "item id");
            _items.GetOrAdd(i, out _);
        }

        GrowRows();
    }

    public ApplyResult Apply(InteractionEvent interaction) => ApplyBatch([interaction], []);

    public ApplyResult Apply(ItemFeaturesEvent features) => ApplyBatch([], [features]);

    /// <summary>
    /// Applies a batch and repairs every affected list; afterwards every graph equals a batch
    /// build of all data applied so far. Feature events apply in list order (the last one for an
    /// item and modality wins); the batch is validated whole before anything changes.
    /// </summary>
    /// <exception cref="InvalidEventException">An event is malformed; nothing was applied.</exception>
    public ApplyResult ApplyBatch(IReadOnlyList<InteractionEvent> interactions, IReadOnlyList<ItemFeaturesEvent> features)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(features);
        foreach (var e in interactions)
        {
            Validate(e);
        }

        foreach (var e in features)
        {
            Validate(e);
        }

        var usersBefore = _users.Count;
        var itemsBefore = _items.Count;
        var applied = 0;
        var duplicates = 0;
        var changedUsers = new HashSet<int>();
        var itemsWithNewUsers = new HashSet<int>();
        var vectorChanged = _modal.Select(_ => new HashSet<int>()).ToArray();
        var profileChanged = _modal.Select(_ => new HashSet<int>()).ToArray();

        foreach (var e in features)
        {
            if (!_appliedEvents.Add(EventKey(FeaturesKind, e.EventId)))
            {
                duplicates++;
                continue;
            }

            applied++;
            var item = _items.GetOrAdd(e.ItemId, out var isNew);
            if (isNew)
            {
                GrowRows();
            }

            var m = _modalIndex[e.Modality];
            if (_modal[m].SetVector(item, e.Vector))
            {
                vectorChanged[m].Add(item);
            }
        }

        foreach (var e in interactions)
        {
            if (!_appliedEvents.Add(EventKey(InteractionKind, e.EventId)))
            {
                duplicates++;
                continue;
            }

            applied++;
            var user = _users.GetOrAdd(e.UserId, out var newUser);
            var item = _items.GetOrAdd(e.ItemId, out var newItem);
            if (newUser || newItem)
            {
                GrowRows();
            }

            _histories[user].Add(new InteractionRecord(item, e.Timestamp, e.Rating));
            if (_userItems.Add(user, item))
            {
                _itemUsers.Add(item, user);
                changedUsers.Add(user);
                itemsWithNewUsers.Add(item);
                for (var m = 0; m < _modal.Length; m++)
                {
                    if (_modal[m].Present[item])
                    {
                        profileChanged[m].Add(user);
                    }
                }
            }
        }

        AppliedEventCount += applied;
        BatchCount++;

        var changedItems = new HashSet<int>(itemsWithNewUsers);
        var itemChanges = new GraphChange[_modal.Length];
        var userChanges = new GraphChange[_modal.Length];
        for (var m = 0; m < _modal.Length; m++)
        {
            var store = _modal[m];
            var vectors = Sorted(vectorChanged[m]);
            foreach (var item in vectors)
            {
                changedItems.Add(item);
                foreach (var user in _itemUsers.SetOf(item))
                {
                    profileChanged[m].Add(user);
                }
            }

            var started = Stopwatch.GetTimestamp();
            store.RefreshItems(vectors, _workers);
            itemChanges[m] = Repair(new GraphKey(GraphFamily.ItemModal, store.Spec.Name), store.ItemLists, store.ItemRows, vectors, started);
            var profiles = Sorted(profileChanged[m]);
            started = Stopwatch.GetTimestamp();
            store.RefreshProfiles(profiles, _userItems, _workers);
            userChanges[m] = Repair(new GraphKey(GraphFamily.UserModal, store.Spec.Name), store.UserLists, store.UserRows, profiles, started);
        }

        GraphChange[] graphs =
        [
            .. itemChanges,
            .. userChanges,
            Repair(new GraphKey(GraphFamily.UserJaccard), _jaccard, _jaccardRows, Sorted(changedUsers), Stopwatch.GetTimestamp()),
            Repair(new GraphKey(GraphFamily.ItemCooccurrence), _cooccurrence, _cooccurrenceRows, Sorted(itemsWithNewUsers), Stopwatch.GetTimestamp()),
        ];
        return new ApplyResult(applied, duplicates, _users.Count - usersBefore, _items.Count - itemsBefore, Sorted(changedUsers), Sorted(changedItems), graphs);
    }

    public InteractionTable ExportInteractions()
    {
        var rows = new List<(int User, InteractionRecord Record)>();
        var anyRating = false;
        for (var u = 0; u < _histories.Count; u++)
        {
            foreach (var r in _histories[u])
            {
                rows.Add((u, r));
                anyRating |= r.Rating.HasValue;
            }
        }

        rows.Sort(static (a, b) => a.User != b.User ? a.User.CompareTo(b.User)
            : a.Record.Timestamp != b.Record.Timestamp ? a.Record.Timestamp.CompareTo(b.Record.Timestamp)
            : a.Record.Item.CompareTo(b.Record.Item));
        return new InteractionTable(
            [.. rows.Select(r => r.User)],
            [.. rows.Select(r => r.Record.Item)],
            new SplitLabel[rows.Count],
            anyRating ? [.. rows.Select(r => r.Record.Rating ?? float.NaN)] : null,
            [.. rows.Select(r => r.Record.Timestamp)]);
    }

    public ModalFeatures Features(string modality)
    {
        if (!_modalIndex.TryGetValue(modality, out var m))
        {
            throw new ArgumentException($"No modality '{modality}' (have: {string.Join(", ", _modalIndex.Keys)}).", nameof(modality));
        }

        return _modal[m].ToFeatures(_items.Count);
    }

    public SimilarityGraphs Graphs()
    {
        var names = _modal.Select(m => m.Spec.Name).ToList();
        return new SimilarityGraphs(
            _options.Neighbors,
            names,
            _modal.ToDictionary(m => m.Spec.Name, m => m.ItemLists.ToCsr()),
            _modal.ToDictionary(m => m.Spec.Name, m => m.UserLists.ToCsr()),
            _jaccard.ToCsr(),
            _cooccurrence.ToCsr());
    }

    public GraphSource ToGraphSource()
    {
        var (offsets, items) = _userItems.ToCsr();
        return new GraphSource(_users.Count, _items.Count, offsets, items, [.. _modal.Select(m => m.ToFeatures(_items.Count))]);
    }

    /// <summary>Adds a stored interaction while loading a snapshot (no repair).</summary>
    internal void RestoreInteraction(int user, InteractionRecord record)
    {
        _histories[user].Add(record);
        if (_userItems.Add(user, record.Item))
        {
            _itemUsers.Add(record.Item, user);
        }
    }

    /// <summary>After a snapshot's data is restored: recomputes unit vectors and profiles for every row.</summary>
    internal void RecomputeDerived()
    {
        foreach (var store in _modal)
        {
            store.RefreshItems([.. Enumerable.Range(0, _items.Count)], _workers);
            store.RefreshProfiles([.. Enumerable.Range(0, _users.Count)], _userItems, _workers);
        }
    }

    internal void RestoreCounters(long appliedEvents, long batches)
    {
        AppliedEventCount = appliedEvents;
        BatchCount = batches;
    }

    internal static UInt128 EventKey(byte kind, string eventId)
    {
        var max = Encoding.UTF8.GetMaxByteCount(eventId.Length) + 1;
        var rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> buffer = rented ?? stackalloc byte[512];
        buffer[0] = kind;
        var length = Encoding.UTF8.GetBytes(eventId, buffer[1..]) + 1;
        var key = XxHash128.HashToUInt128(buffer[..length]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return key;
    }

    private GraphChange Repair(GraphKey key, MaintainedNeighborLists lists, RowSimilarity rows, int[] changed, long started)
    {
        var served = new HashSet<int>();
        var stats = lists.Repair(rows, changed, _workers, served);
        return new GraphChange(key, stats, Sorted(served), Stopwatch.GetElapsedTime(started));
    }

    private void GrowRows()
    {
        while (_histories.Count < _users.Count)
        {
            _histories.Add([]);
        }

        _userItems.EnsureRows(_users.Count);
        _itemUsers.EnsureRows(_items.Count);
        _jaccard.EnsureRows(_users.Count);
        _cooccurrence.EnsureRows(_items.Count);
        foreach (var store in _modal)
        {
            store.EnsureRows(_users.Count, _items.Count);
        }
    }

    /// <summary>
    /// Checks one event against the rules <see cref="ApplyBatch"/> enforces, so that a caller can
    /// set a bad event aside before it would refuse a whole batch.
    /// </summary>
    /// <exception cref="InvalidEventException">The event is malformed; the message names it and the problem.</exception>
    public void Validate(InteractionEvent e)
    {
        if (e is null)
        {
            throw new InvalidEventException(null, "interaction event is null");
        }

        RequireId(e.EventId, e.EventId, "event id");
        RequireId(e.EventId, e.UserId, "user id");
        RequireId(e.EventId, e.ItemId, "item id");
        if (e.Rating is { } r && !float.IsFinite(r))
        {
            throw new InvalidEventException(e.EventId, $"rating {r.ToString(CultureInfo.InvariantCulture)} is not a finite number");
        }
    }

    /// <inheritdoc cref="Validate(InteractionEvent)"/>
    public void Validate(ItemFeaturesEvent e)
    {
        if (e is null)
        {
            throw new InvalidEventException(null, "item features event is null");
        }

        RequireId(e.EventId, e.EventId, "event id");
        RequireId(e.EventId, e.ItemId, "item id");
        if (e.Modality is null || !_modalIndex.TryGetValue(e.Modality, out var m))
        {
            throw new InvalidEventException(e.EventId, $"modality '{e.Modality}' is not configured (configured: {string.Join(", ", _modalIndex.Keys)})");
        }

        var width = _modal[m].Spec.Width;
        if (e.Vector is null || e.Vector.Length != width)
        {
            throw new InvalidEventException(e.EventId, $"vector for modality '{e.Modality}' has {e.Vector?.Length ?? 0} values; the modality's width is {width}");
        }

        for (var i = 0; i < e.Vector.Length; i++)
        {
            if (!float.IsFinite(e.Vector[i]))
            {
                throw new InvalidEventException(e.EventId, $"vector value {i} is {e.Vector[i].ToString(CultureInfo.InvariantCulture)}, not a finite number");
            }
        }
    }

    private static void RequireId(string? eventId, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidEventException(eventId, $"{what} is empty");
        }
    }

    private static int[] Sorted(HashSet<int> set)
    {
        var array = set.ToArray();
        Array.Sort(array);
        return array;
    }
}
