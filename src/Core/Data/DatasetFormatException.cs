namespace Spumr.Core.Data;

/// <summary>
/// A data set file is malformed. The message always names the file, and the line or field
/// where the problem was found, so the user can fix the input without reading code.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string file, string problem, long? line = null, string? field = null, Exception? inner = null)
        : base(Compose(file, problem, line, field), inner)
    {
        FilePath = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public string FilePath { get; }

    /// <summary>1-based line number in a text file, when the problem is on one line.</summary>
    public long? Line { get; }

    public string? Field { get; }

    public string Problem { get; }

    private static string Compose(string file, string problem, long? line, string? field)
    {
        // A folder given with a trailing slash still has a name.
        var where = Path.GetFileName(Path.TrimEndingDirectorySeparator(file));
        if (line is { } l)
        {
            where += $" line {l}";
        }

        if (field is not null)
        {
            where += $", field '{field}'";
        }

        return $"{where}: {problem}";
    }
}
