using System.Globalization;
using Spumr.Core.Embeddings;

namespace Spumr.Serving.Api;

/// <summary>Checks of request parameters; each problem is a sentence naming the parameter and what is wrong.</summary>
public static class RequestRules
{
    public const int MaxK = 1000;

    /// <summary>k when the request does not give one.</summary>
    public const int DefaultK = 20;

    /// <summary>Reads the optional query parameter k (1..<see cref="MaxK"/>, default <see cref="DefaultK"/>).</summary>
    public static bool TryReadK(HttpRequest request, out int k, out string? problem)
    {
        k = 0;
        var values = request.Query["k"];
        if (values.Count == 0)
        {
            k = DefaultK;
            problem = null;
            return true;
        }

        if (values.Count > 1)
        {
            problem = "Query parameter k is given more than once.";
            return false;
        }

        var text = values[0];
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = $"Query parameter k is empty: give a whole number 1..{MaxK}.";
            return false;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            problem = $"Query parameter k '{Shorten(text)}' is not a whole number: give 1..{MaxK}.";
            return false;
        }

        if (value < 1 || value > MaxK)
        {
            problem = $"Query parameter k {value} is out of range: give 1..{MaxK}.";
            return false;
        }

        k = (int)value;
        problem = null;
        return true;
    }

    /// <summary>Why a route id is unusable (empty, overlong, whitespace or control characters), or null.</summary>
    public static string? IdProblem(string parameter, string? id) =>
        ExternalId.Problem(id) is { } problem ? $"Route parameter {parameter} '{Shorten(id)}' {problem}." : null;

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "...";
}
