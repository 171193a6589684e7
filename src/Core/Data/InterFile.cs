using System.Globalization;

namespace Spumr.Core.Data;

/// <summary>
/// Reads an MMRec <c>.inter</c> file: tab-separated, a header row, columns found by name.
/// <c>userID</c>, <c>itemID</c> and <c>x_label</c> are required; <c>rating</c> and
/// <c>timestamp</c> are read when present. A user-item pair that appears twice is an error
/// naming both lines: MMRec would silently count it twice in training and evaluation.
/// </summary>
public static class InterFile
{
    public const string UserColumn = "userID";
    public const string ItemColumn = "itemID";
    public const string SplitColumn = "x_label";
    public const string RatingColumn = "rating";
    public const string TimestampColumn = "timestamp";

    public static InteractionTable Read(string path)
    {
        using var stream = NpyFile.OpenMaybeCompressed(path);
        using var reader = new StreamReader(stream);
        return Read(reader, path);
    }

    public static InteractionTable Read(TextReader reader, string path)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = reader.ReadLine() ?? throw new DatasetFormatException(path, "file is empty; expected a header row", 1);
        var names = header.TrimEnd('\r').Split('\t');
        int Find(string name, bool required)
        {
            var index = Array.FindIndex(names, n => n.Trim() == name);
            if (index < 0 && required)
            {
                throw new DatasetFormatException(path, $"missing required column '{name}' (header has: {string.Join(", ", names)})", 1, name);
            }

            return index;
        }

        var userCol = Find(UserColumn, true);
        var itemCol = Find(ItemColumn, true);
        var splitCol = Find(SplitColumn, true);
        var ratingCol = Find(RatingColumn, false);
        var timeCol = Find(TimestampColumn, false);
        var columnCount = names.Length;

        var users = new List<int>();
        var items = new List<int>();
        var splits = new List<SplitLabel>();
        var ratings = ratingCol >= 0 ? new List<float>() : null;
        var times = timeCol >= 0 ? new List<long>() : null;
        var seen = new Dictionary<long, long>();
        var fields = new string[columnCount];

        long lineNo = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (IsBlank(line))
            {
                continue;
            }

            var span = line.AsSpan().TrimEnd('\r');
            var n = 0;
            foreach (var range in span.Split('\t'))
            {
                if (n == columnCount)
                {
                    throw new DatasetFormatException(path, $"has more than the header's {columnCount} tab-separated fields", lineNo);
                }

                fields[n++] = span[range].ToString();
            }

            if (n != columnCount)
            {
                throw new DatasetFormatException(path, $"has {n} tab-separated fields, the header has {columnCount}", lineNo);
            }

            var user = ParseId(fields[userCol], path, lineNo, UserColumn);
            var item = ParseId(fields[itemCol], path, lineNo, ItemColumn);
            var split = fields[splitCol].Trim() switch
            {
                "0" => SplitLabel.Train,
                "1" => SplitLabel.Validation,
                "2" => SplitLabel.Test,
                var other => throw new DatasetFormatException(path, $"'{other}' is not a split label (0 train, 1 validation, 2 test)", lineNo, SplitColumn),
            };

            var key = ((long)user << 32) | (uint)item;
            if (!seen.TryAdd(key, lineNo))
            {
                throw new DatasetFormatException(path, $"user {user} and item {item} already appear together on line {seen[key]}; remove the duplicate interaction", lineNo);
            }

            users.Add(user);
            items.Add(item);
            splits.Add(split);
            if (ratings is not null)
            {
                if (!float.TryParse(fields[ratingCol], NumberStyles.Float, CultureInfo.InvariantCulture, out var r) || !float.IsFinite(r))
                {
                    throw new DatasetFormatException(path, $"'{fields[ratingCol]}' is not a finite number", lineNo, RatingColumn);
                }

                ratings.Add(r);
            }

            if (times is not null)
            {
                times.Add(ParseTimestamp(fields[timeCol], path, lineNo));
            }
        }

        return new InteractionTable([.. users], [.. items], [.. splits], ratings?.ToArray(), times?.ToArray());
    }

    /// <summary>
    /// The 1-based line of the <paramref name="row"/>-th interaction (0-based, as in the
    /// <see cref="InteractionTable"/>), for errors found after reading. Rereads the file.
    /// </summary>
    public static long LineOf(string path, int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        using var stream = NpyFile.OpenMaybeCompressed(path);
        using var reader = new StreamReader(stream);
        reader.ReadLine();
        long lineNo = 1;
        var seen = -1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (!IsBlank(line) && ++seen == row)
            {
                return lineNo;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(row), $"{Path.GetFileName(path)} has only {seen + 1} interactions.");
    }

    private static bool IsBlank(string line) => line.Length == 0 || (line.Length == 1 && line[0] == '\r');

    private static int ParseId(string text, string path, long line, string column)
    {
        if (!int.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw new DatasetFormatException(path, $"'{text}' is not a non-negative integer id", line, column);
        }

        return id;
    }

    private static long ParseTimestamp(string text, string path, long line)
    {
        var t = text.AsSpan().Trim();
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        // Some MMRec exports write timestamps as floats ("1373932800.0").
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d == Math.Floor(d)
            && d is >= long.MinValue and <= long.MaxValue)
        {
            return (long)d;
        }

        throw new DatasetFormatException(path, $"'{text}' is not a Unix timestamp in seconds", line, TimestampColumn);
    }
}
