namespace Reviews.Tests.Infrastructure;

/// <summary>The checkout the tests run from (for the files they check against the code, such as README.md).</summary>
public static class Repository
{
    public static string Root { get; } = Find(AppContext.BaseDirectory);

    static string Find(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Reviews.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"No Reviews.slnx above {from}.");
    }
}
