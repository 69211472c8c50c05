namespace Reviews.Importer;

/// <summary>Where a text value sits in a batch's <see cref="TextBuffer"/>; Start −1 is SQL NULL.</summary>
public readonly record struct TextSlice(int Start, int Length)
{
    public static readonly TextSlice Null = new(-1, 0);
    public bool IsNull => Start < 0;
}
