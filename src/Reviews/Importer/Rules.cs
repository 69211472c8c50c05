using Npgsql;
using NpgsqlTypes;
using nietras.SeparatedValues;
using Reviews.LegacyCsv;
using Reviews.Validation;

namespace Reviews.Importer;

static class Rules
{
    public static Reject Bad(string column, CsvField field, string rule) =>
        new(RejectReason.Bad(column), $"{column} {Quote(field)} {rule}");

    static string Quote(CsvField field) => "\"" + field.ToString().Replace("\"", "'") + "\"";

    public static Reject Erased(long id) => new(RejectReason.Erased, $"review {id} was erased by a privacy request");

    public static Reject Duplicate(long id) => new(RejectReason.DuplicateId, $"id {id} appears earlier in the file");

    public static bool Id(SepReader.Row row, int col, string column, out long id, ref Reject reject)
    {
        var field = new CsvField(row[col].Span);
        if (field.TryPositiveId(out id))
            return true;
        reject = Bad(column, field, "is not a positive integer");
        return false;
    }

    /// <summary>A text field into the batch's buffer; the bare word null is SQL NULL.</summary>
    public static bool Text(SepReader.Row row, int col, string column, bool nullable, TextBuffer text, out TextSlice slice, ref Reject reject)
    {
        var raw = row[col].Span;
        var field = new CsvField(raw);
        slice = TextSlice.Null;
        if (field.IsNullMarker)
        {
            if (nullable)
                return true;
            reject = Bad(column, field, "is null but is required");
            return false;
        }
        // The API's rules for stored text (no NUL, no control character but tab and line breaks); a quoted field's
        // doubled quotes are still in it, which the rules do not mind.
        if (TextRules.Problem(raw, multiline: true) is { } problem)
        {
            reject = Bad(column, field, problem);
            return false;
        }
        slice = text.AddField(raw, field.IsQuoted);
        return true;
    }

    public static void Write(NpgsqlBinaryImporter writer, TextBuffer text, TextSlice slice)
    {
        if (slice.IsNull)
            writer.WriteNull();
        else
            writer.Write(text[slice], NpgsqlDbType.Text);
    }
}
