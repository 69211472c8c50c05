namespace Reviews.Importer;

/// <summary>
/// Which ids a file has loaded, each with one number it carries (a product id), so later files can be
/// checked against it. Ids are dense (1…N) in the legacy set, so a flat array indexed by id is both the
/// fastest and the smallest map; the rare id far beyond the rest goes to a dictionary.
/// </summary>
public sealed class IdMap
{
    const long DenseLimit = 1L << 27;
    long[] dense = new long[1024];
    readonly Dictionary<long, long> sparse = [];

    public int Count { get; private set; }

    /// <summary>Adds id → value (value ≠ 0); false when the id is already there.</summary>
    public bool TryAdd(long id, long value)
    {
        if (id < DenseLimit)
        {
            if (id >= dense.Length)
                Array.Resize(ref dense, (int)Math.Min(DenseLimit, Math.Max(id + 1, dense.Length * 2L)));
            if (dense[id] != 0)
                return false;
            dense[id] = value;
        }
        else if (!sparse.TryAdd(id, value))
            return false;
        Count++;
        return true;
    }

    /// <summary>The value stored with the id, or 0 when the id is absent.</summary>
    public long Get(long id) =>
        id < DenseLimit ? (id < dense.Length ? dense[id] : 0) : sparse.GetValueOrDefault(id);

    public bool Contains(long id) => Get(id) != 0;
}
