namespace Spumr.Core.Embeddings;

/// <summary>
/// Rules for user and item external ids as they appear in Redis key names and HTTP routes.
/// Ids are opaque strings; these limits keep keys bounded and the newline-joined id lists unambiguous.
/// </summary>
public static class ExternalId
{
    public const int MaxLength = 256;

    /// <summary>Why <paramref name="id"/> is not a usable external id, or null when it is.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return "is empty";
        }

        if (id.Length > MaxLength)
        {
            return $"is {id.Length} characters long (at most {MaxLength})";
        }

        foreach (var c in id)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return "contains whitespace or a control character";
            }
        }

        return null;
    }

    public static void Validate(string? id, string what)
    {
        if (Problem(id) is { } problem)
        {
            throw new ArgumentException($"{what} '{id}' {problem}.", what);
        }
    }
}
