using System.Text;
using Reviews.LegacyCsv;

namespace Reviews.Generator;

/// <summary>
/// manifest.csv: every row the importer must reject and why (file, line, id, reason), in file and line order.
/// </summary>
sealed class RejectManifest
{
    readonly List<(int File, long Line, long Id, string Reason)> rows = [];

    public int Count => rows.Count;

    public void Add(int file, long line, long id, string reason) => rows.Add((file, line, id, reason));

    /// <summary>Writes a row, lists it in the manifest if it must be rejected, and writes a second copy of a
    /// good row when a duplicate is wanted (the copy is the one rejected: the first of an id stands).</summary>
    public void Record(CsvOut file, int fileIndex, long id, string[] fields, string? reason, bool duplicate)
    {
        var row = string.Join(',', fields);
        var line = file.Write(row);
        if (reason is not null)
            Add(fileIndex, line, id, reason);
        else if (duplicate)
            Add(fileIndex, file.Write(row), id, RejectReason.DuplicateId);
    }

    public void Write(string path, string[] files)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write("file,line,id,reason\n");
        foreach (var (file, line, id, reason) in rows.OrderBy(m => m.File).ThenBy(m => m.Line))
            writer.Write($"{files[file]},{line},{id},{reason}\n");
    }
}
