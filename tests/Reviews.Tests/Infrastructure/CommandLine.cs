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
        var rejects = TempFiles.Path("rejects") + ".csv";
        var result = await RunAsync(["import", directory, "--database", database, "--rejects", rejects, .. extra]);
        var rows = File.Exists(rejects)
            ? File.ReadAllLines(rejects).Skip(1).Select(l => l.Split(',', 5)).ToArray()
            : [];
        return (result, rows);
    }
}
