namespace Reviews.Tests.Infrastructure;

/// <summary>
/// Every file and folder the tests write, under one folder of this run that is deleted when the test process
/// exits, so that no run leaves anything in /tmp (the private cluster's folder is removed by its fixture).
/// </summary>
public static class TempFiles
{
    public static string Root { get; } = CreateRoot();

    /// <summary>A new, unused path under <see cref="Root"/>, named after what it holds.</summary>
    public static string Path(string name) => System.IO.Path.Combine(Root, $"{name}-{Guid.NewGuid():N}");

    static string CreateRoot()
    {
        var root = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"reviews-test-files-{Environment.ProcessId}")).FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"Could not delete the tests' files in {root}: {e.Message}");
            }
        };
        return root;
    }
}
