using Npgsql;
using NpgsqlTypes;
using nietras.SeparatedValues;
using Reviews.LegacyCsv;

namespace Reviews.Importer;

public sealed class CharacteristicsFile(LoadedIds ids) : ITableFile<CharacteristicRow>
{
    public LegacyFile File => LegacyFile.Characteristics;
    public string Copy => "COPY characteristics (id, product_id, name) FROM STDIN (FORMAT BINARY)";

    public bool TryParse(SepReader.Row row, TextBuffer text, out CharacteristicRow value, out Reject reject)
    {
        value = default;
        reject = default;
        if (!Rules.Id(row, 0, "id", out var id, ref reject) || !Rules.Id(row, 1, "product_id", out var productId, ref reject)
            || !Rules.Text(row, 2, "name", nullable: false, text, out var slice, ref reject))
            return false;
        var name = text.Span(slice).ToString();
        if (!ids.CharacteristicProducts.TryAdd(id, productId)) { reject = Rules.Duplicate(id); return false; }
        // Six names repeat over millions of rows: one string each.
        value = new CharacteristicRow(id, productId, string.Intern(name));
        return true;
    }

    public void Write(NpgsqlBinaryImporter writer, in CharacteristicRow r, TextBuffer text)
    {
        writer.Write(r.Id, NpgsqlDbType.Bigint);
        writer.Write(r.ProductId, NpgsqlDbType.Bigint);
        writer.Write(r.Name, NpgsqlDbType.Text);
    }
}
