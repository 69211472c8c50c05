using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reviews.Importer;

public sealed record Summary(Dictionary<string, FileSummary> Files, IReadOnlyDictionary<string, double> Phases);
