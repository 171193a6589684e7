using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Spumr.Trainer.Models;

/// <summary>
/// MF-BPR as MMRec's BPR model: one embedding per user and item (Xavier-normal), score = dot
/// product, loss = BPR + reg_weight · EmbLoss(user, positive, negative embeddings of the batch).
/// </summary>
public sealed class MatrixFactorization : nn.Module, IRecommenderModel
{
    public const string ModelName = "mfbpr";

    private readonly Parameter _users;
    private readonly Parameter _items;
    private readonly double _regWeight;

    public MatrixFactorization(int userCount, int itemCount, MatrixFactorizationOptions options, Device device)
        : base(nameof(MatrixFactorization))
    {
        ArgumentNullException.ThrowIfNull(options);
        _regWeight = options.RegWeight;
        using (no_grad())
        {
            _users = new Parameter(nn.init.xavier_normal_(empty(userCount, options.Dimension, device: device)));
            _items = new Parameter(nn.init.xavier_normal_(empty(itemCount, options.Dimension, device: device)));
        }

        register_parameter("user_embedding", _users);
        register_parameter("item_embedding", _items);
    }

    public string Name => ModelName;

    public nn.Module Module => this;

    public LossTerms Loss(BprBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var u = _users.index_select(0, batch.Users);
        var p = _items.index_select(0, batch.Positives);
        var n = _items.index_select(0, batch.Negatives);
        var bpr = BprLoss.Bpr(BprLoss.RowDot(u, p), BprLoss.RowDot(u, n));
        return new LossTerms(("bpr", bpr), ("reg", BprLoss.Weighted(BprLoss.EmbeddingNorm(u, p, n), _regWeight)));
    }

    public ScoringEmbeddings ComputeEmbeddings()
    {
        using (no_grad())
        {
            return new ScoringEmbeddings(_users.detach().clone(), _items.detach().clone());
        }
    }
}
