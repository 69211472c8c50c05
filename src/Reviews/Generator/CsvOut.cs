using System.Text;
using Reviews.LegacyCsv;

namespace Reviews.Generator;

/// <summary>One output CSV file that knows the line each row starts on (quoted text may hold line breaks).</summary>
sealed class CsvOut : IDisposable
{
    readonly StreamWriter writer;
    readonly string newline;

    public string Name { get; }
    public long Line { get; private set; } = 1;
    public long Rows { get; private set; }

    public CsvOut(string directory, LegacyFile file, bool byteOrderMark = false, bool crlf = false)
    {
        Name = file.Name;
        newline = crlf ? "\r\n" : "\n";
        writer = new StreamWriter(Path.Combine(directory, file.Name), false, new UTF8Encoding(byteOrderMark), 1 << 20);
        Write(file.Header);
        Rows = 0;
    }

    /// <summary>Writes one row (its fields already joined); returns the line it starts on.</summary>
    public long Write(string row)
    {
        var start = Line;
        writer.Write(row);
        writer.Write(newline);
        Line += 1 + row.AsSpan().Count('\n');
        Rows++;
        return start;
    }

    /// <summary>Ends the file inside the row: the file a copy that was cut short leaves.</summary>
    public long WriteTruncated(string row)
    {
        var start = Line;
        writer.Write(row);
        Rows++;
        return start;
    }

    public void Dispose() => writer.Dispose();

    /// <summary>A quoted field: the text between double quotes, each of its quotes doubled.</summary>
    public static string Quote(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";
}
