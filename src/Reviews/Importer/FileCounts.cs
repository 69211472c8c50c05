namespace Reviews.Importer;

/// <summary>What happened to one file's rows.</summary>
public sealed class FileCounts
{
    public long Read { get; set; }
    public long Loaded { get; set; }
    public long Rejected => Reasons.Values.Sum();
    public SortedDictionary<string, long> Reasons { get; } = new(StringComparer.Ordinal);
}
