using Reviews.Cli;

namespace Reviews.Tests.Infrastructure;

/// <summary>Runs the `reviews` command line in-process, as a user would type it, capturing what it prints.</summary>
public static class CommandLine
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Commands.RunAsync(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>`reviews import DIR --database … --rejects …`; returns the result and the reject report's rows.</summary>
    public static async Task<(Result Result, string[][] Rejects)> ImportAsync(string directory, string database, params string[] extra)
    {
        var rejects = Path.Combine(Path.GetTempPath(), $"rejects-{Guid.NewGuid():N}.csv");
        var result = await RunAsync(["import", directory, "--database", database, "--rejects", rejects, .. extra]);
        var rows = File.Exists(rejects)
            ? File.ReadAllLines(rejects).Skip(1).Select(l => l.Split(',', 5)).ToArray()
            : [];
        return (result, rows);
    }
}

/// <summary>A temporary copy of a data set folder, to spoil one file of it.</summary>
public sealed class DataSetCopy : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"dataset-{Guid.NewGuid():N}");

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
