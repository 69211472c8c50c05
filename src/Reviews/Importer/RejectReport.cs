namespace Reviews.Importer;

/// <summary>The rows that were not loaded, as CSV: file,line,id,reason,detail. Created on the first reject.</summary>
public sealed class RejectReport(string path) : IDisposable
{
    StreamWriter? writer;

    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public long Count { get; private set; }

    public void Add(string file, long line, string id, Reject reject)
    {
        if (writer is null)
        {
            writer = new StreamWriter(Path, append: false);
            writer.Write("file,line,id,reason,detail\n");
        }
        writer.Write($"{file},{line},{Csv(id)},{reject.Reason},{Csv(reject.Detail)}\n");
        Count++;
    }

    static string Csv(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";

    public void Dispose() => writer?.Dispose();
}
