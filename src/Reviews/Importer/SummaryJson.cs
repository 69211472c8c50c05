using System.Text.Json.Serialization;

namespace Reviews.Importer;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(Summary))]
public sealed partial class SummaryJson : JsonSerializerContext;
