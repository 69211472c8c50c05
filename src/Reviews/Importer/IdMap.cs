namespace Reviews.Importer;

/// <summary>
/// Which ids a file has loaded, each with the product it belongs to, so later files can be checked against
/// it. Ids are dense (1…N) in the legacy set, so an array indexed by id is both the fastest and the smallest
/// map (5.8 million reviews: 23 MB); an id or product beyond its range goes to a dictionary.
/// </summary>
public sealed class IdMap
{
    const long DenseLimit = 1L << 30;
    readonly PagedArray<int> dense = new();
    readonly Dictionary<long, long> sparse = [];

    /// <summary>Adds id → product (product > 0); false when the id is already there.</summary>
    public bool TryAdd(long id, long product)
    {
        if (Get(id) != 0)
            return false;
        if (id < DenseLimit && product <= int.MaxValue)
            dense[id] = (int)product;
        else
            sparse.Add(id, product);
        return true;
    }

    /// <summary>The product stored with the id, or 0 when the id is absent.</summary>
    public long Get(long id)
    {
        var value = id < DenseLimit ? dense.Get(id) : 0;
        return value != 0 ? value : sparse.Count == 0 ? 0 : sparse.GetValueOrDefault(id);
    }

    public bool Contains(long id) => Get(id) != 0;
}

/// <summary>Which ids a file has loaded, one bit each (19.3 million ratings: 2.4 MB).</summary>
public sealed class IdSet
{
    const long DenseLimit = 1L << 36;
    readonly PagedArray<ulong> bits = new();
    readonly HashSet<long> sparse = [];

    /// <summary>Adds the id; false when it is already there.</summary>
    public bool Add(long id)
    {
        if (id >= DenseLimit)
            return sparse.Add(id);
        ref var word = ref bits[id >> 6];
        var mask = 1UL << (int)(id & 63);
        if ((word & mask) != 0)
            return false;
        word |= mask;
        return true;
    }

    public bool Contains(long id) =>
        id >= DenseLimit ? sparse.Contains(id) : (bits.Get(id >> 6) & (1UL << (int)(id & 63))) != 0;
}

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
