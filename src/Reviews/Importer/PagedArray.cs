namespace Reviews.Importer;

/// <summary>
/// An array indexed by long that allocates 64K-element pages on first write: growing never copies, and
/// ids far apart cost only the pages they touch. Reads of untouched elements give default.
/// </summary>
public sealed class PagedArray<T> where T : struct
{
    const int PageBits = 16;
    const int PageSize = 1 << PageBits;
    T[]?[] pages = new T[]?[16];

    /// <summary>One past the highest page's last index: the range worth iterating.</summary>
    public long Length => (long)pages.Length << PageBits;

    public ref T this[long index]
    {
        get
        {
            var page = index >> PageBits;
            if (page >= pages.Length)
                Array.Resize(ref pages, (int)Math.Max(page + 1, pages.Length * 2L));
            return ref (pages[page] ??= new T[PageSize])[index & (PageSize - 1)];
        }
    }

    public T Get(long index)
    {
        var page = index >> PageBits;
        return page < pages.Length && pages[page] is { } values ? values[index & (PageSize - 1)] : default;
    }
}
