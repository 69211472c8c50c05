using System.Buffers;

namespace Reviews.Importer;

/// <summary>
/// The text of one batch of rows, unescaped into one pooled buffer that the rows point into. Parsing a
/// review this way allocates nothing: a string per field, kept alive while its batch waits for COPY, was
/// what made the garbage collector the bottleneck of the import.
/// </summary>
public sealed class TextBuffer
{
    char[] chars = ArrayPool<char>.Shared.Rent(1 << 19);
    int length;

    /// <summary>Adds a CSV field's text: quoted with "" for a quote inside, or bare.</summary>
    public TextSlice AddField(ReadOnlySpan<char> raw, bool quoted)
    {
        var text = quoted ? raw[1..^1] : raw;
        Reserve(text.Length);
        var start = length;
        var quote = text.IndexOf('"');
        if (quote < 0 || !quoted)
        {
            text.CopyTo(chars.AsSpan(length));
            length += text.Length;
        }
        else
        {
            // "" stands for one quote.
            while (quote >= 0)
            {
                text[..(quote + 1)].CopyTo(chars.AsSpan(length));
                length += quote + 1;
                text = text[Math.Min(text.Length, quote + 2)..];
                quote = text.IndexOf('"');
            }
            text.CopyTo(chars.AsSpan(length));
            length += text.Length;
        }
        return new TextSlice(start, length - start);
    }

    public ArraySegment<char> this[TextSlice slice] => new(chars, slice.Start, slice.Length);

    public ReadOnlySpan<char> Span(TextSlice slice) => chars.AsSpan(slice.Start, slice.Length);

    void Reserve(int more)
    {
        if (length + more <= chars.Length)
            return;
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(chars.Length * 2, length + more));
        chars.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(chars);
        chars = bigger;
    }

    public void Clear() => length = 0;

    public void Release() => ArrayPool<char>.Shared.Return(chars);
}
