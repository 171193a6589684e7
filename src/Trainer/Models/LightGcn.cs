using Spumr.Trainer.Graphs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Spumr.Trainer.Models;

/// <summary>
/// LightGCN as MMRec trains it: Xavier-uniform ego embeddings, L propagations over the
/// symmetric-normalised user-item graph, the mean over layers 0..L as the final representation;
/// loss = BPR on the final representations + reg_weight · EmbLoss on the batch's ego embeddings.
/// </summary>
public sealed class LightGcn : nn.Module, IRecommenderModel
{
    public const string ModelName = "lightgcn";

    private readonly Parameter _users;
    private readonly Parameter _items;
    private readonly NormalizedUserItemGraph _graph;
    private readonly int _layers;
    private readonly double _regWeight;

    public LightGcn(NormalizedUserItemGraph graph, LightGcnOptions options, Device device)
        : base(nameof(LightGcn))
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        _graph = graph;
        _layers = options.Layers;
        _regWeight = options.RegWeight;
        using (no_grad())
        {
            _users = new Parameter(nn.init.xavier_uniform_(empty(graph.UserCount, options.Dimension, device: device)));
            _items = new Parameter(nn.init.xavier_uniform_(empty(graph.ItemCount, options.Dimension, device: device)));
        }

        register_parameter("user_emb", _users);
        register_parameter("item_emb", _items);
    }

    public string Name => ModelName;

    public nn.Module Module => this;

    public LossTerms Loss(BprBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (users, items) = Propagate();
        var u = users.index_select(0, batch.Users);
        var p = items.index_select(0, batch.Positives);
        var n = items.index_select(0, batch.Negatives);
        var bpr = BprLoss.Bpr(BprLoss.RowDot(u, p), BprLoss.RowDot(u, n));
        var reg = BprLoss.EmbeddingNorm(
            _users.index_select(0, batch.Users),
            _items.index_select(0, batch.Positives),
            _items.index_select(0, batch.Negatives));
        return new LossTerms(("bpr", bpr), ("reg", BprLoss.Weighted(reg, _regWeight)));
    }

    public ScoringEmbeddings ComputeEmbeddings()
    {
        using (no_grad())
        {
            var (users, items) = Propagate();
            return new ScoringEmbeddings(users.contiguous(), items.contiguous());
        }
    }

    /// <summary>Final user and item representations: the mean of layers 0..L.</summary>
    private (Tensor Users, Tensor Items) Propagate()
    {
        var layers = new List<Tensor>(_layers + 1) { cat([_users, _items], 0) };
        for (var l = 0; l < _layers; l++)
        {
            layers.Add(_graph.Propagate(layers[^1]));
        }

        var mean = stack(layers, 1).mean([1]);
        return (mean.narrow(0, 0, _graph.UserCount), mean.narrow(0, _graph.UserCount, _graph.ItemCount));
    }
}
