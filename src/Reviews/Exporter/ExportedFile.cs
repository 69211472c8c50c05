using Reviews.LegacyCsv;

namespace Reviews.Exporter;

/// <summary>One file an export wrote: which, its size, and how many rows it holds.</summary>
public sealed record ExportedFile(LegacyFile File, long Bytes, long Rows);
