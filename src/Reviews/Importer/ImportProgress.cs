namespace Reviews.Importer;

/// <summary>
/// What the import is doing, for a display to poll: the steps so far, each with its bytes read of the file's
/// total (0 for steps that read no file) and its rows. Written by the importer's threads, read by the display.
/// </summary>
public sealed class ImportProgress
{
    readonly List<ProgressStep> steps = [];

    public ProgressStep Begin(string name, long totalBytes = 0)
    {
        var step = new ProgressStep(name, totalBytes);
        lock (steps)
            steps.Add(step);
        return step;
    }

    public ProgressStep[] Steps()
    {
        lock (steps)
            return [.. steps];
    }
}
