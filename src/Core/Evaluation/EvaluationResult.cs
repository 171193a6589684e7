using System.Globalization;

namespace Spumr.Core.Evaluation;

/// <summary>
/// Recall@K and NDCG@K averaged over the <see cref="UserCount"/> evaluated users. When no user
/// was evaluated every average is 0 (and <see cref="UserCount"/> says so), keeping results
/// JSON-serializable.
/// </summary>
public sealed record EvaluationResult(int UserCount, IReadOnlyDictionary<int, double> Recall, IReadOnlyDictionary<int, double> Ndcg)
{
    /// <summary>The cut-offs, ascending.</summary>
    public IReadOnlyList<int> Ks => [.. Recall.Keys.Order()];

    public double RecallAt(int k) => Recall.TryGetValue(k, out var v) ? v : throw NotComputed(k);

    public double NdcgAt(int k) => Ndcg.TryGetValue(k, out var v) ? v : throw NotComputed(k);

    /// <summary>For logs: <c>users 19445  R@10 0.0512  N@10 0.0275  R@20 ...</c>.</summary>
    public override string ToString() =>
        string.Join("  ", Ks.Select(k => string.Create(CultureInfo.InvariantCulture, $"R@{k} {Recall[k]:0.0000}  N@{k} {Ndcg[k]:0.0000}"))
            .Prepend(string.Create(CultureInfo.InvariantCulture, $"users {UserCount}")));

    private KeyNotFoundException NotComputed(int k) =>
        new($"@{k} was not computed; this result has K = {string.Join(", ", Ks)}.");
}
