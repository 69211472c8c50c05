namespace Reviews.Tests.Infrastructure;

/// <summary>A temporary copy of a data set folder, to spoil one file of it.</summary>
public sealed class DataSetCopy : IDisposable
{
    public string Directory { get; } = TempFiles.Path("dataset");

    public DataSetCopy(string source)
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var file in System.IO.Directory.GetFiles(source, "*.csv"))
            File.Copy(file, Path.Combine(Directory, Path.GetFileName(file)));
    }

    public string PathOf(string file) => Path.Combine(Directory, file);

    public void Append(string file, string rows) => File.AppendAllText(PathOf(file), rows);

    public void Replace(string file, string oldText, string newText)
    {
        var text = File.ReadAllText(PathOf(file));
        Assert.Contains(oldText, text);
        File.WriteAllText(PathOf(file), text.Replace(oldText, newText));
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
