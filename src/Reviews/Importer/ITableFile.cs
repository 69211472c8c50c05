using Npgsql;
using nietras.SeparatedValues;
using Reviews.LegacyCsv;

namespace Reviews.Importer;

/// <summary>
/// One of the four legacy files: its exact header, how a row becomes a table row (or a reject), and how
/// that row is written to COPY. Parsing also records each accepted id, so later files can be checked
/// against the earlier ones; that is why files load in key order (reviews, characteristics, then the rest).
/// </summary>
public interface ITableFile<TRow>
{
    LegacyFile File { get; }
    string Copy { get; }
    bool TryParse(SepReader.Row row, TextBuffer text, out TRow value, out Reject reject);
    void Write(NpgsqlBinaryImporter writer, in TRow value, TextBuffer text);
}
