namespace Reviews.Importer;

public sealed record ImportResult(IReadOnlyDictionary<string, FileCounts> Files, IReadOnlyDictionary<string, double> Phases,
    long Rejected, string RejectsPath);
