namespace Reviews.Importer;

public sealed record FileSummary(long Read, long Loaded, long Rejected, SortedDictionary<string, long> Reasons);
