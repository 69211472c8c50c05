namespace Reviews.Importer;

public sealed record Summary(Dictionary<string, FileSummary> Files, IReadOnlyDictionary<string, double> Phases);
