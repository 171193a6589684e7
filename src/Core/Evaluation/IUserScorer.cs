namespace Spumr.Core.Evaluation;

/// <summary>
/// Scores every item for a block of users. The evaluator calls it one block at a time so
/// memory stays bounded however many users there are.
/// </summary>
public interface IUserScorer
{
    int ItemCount { get; }

    /// <summary>
    /// Fills <paramref name="scores"/> (<c>users.Length x ItemCount</c>, row-major) with the
    /// score of every item for each user in <paramref name="users"/>; higher is better.
    /// </summary>
    void Score(ReadOnlySpan<int> users, Span<float> scores);
}
