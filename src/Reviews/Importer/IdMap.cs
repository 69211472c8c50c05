namespace Reviews.Importer;

/// <summary>
/// Which ids a file has loaded, each with the product it belongs to, so later files can be checked against
/// it. Ids are dense (1…N) in the legacy set, so a flat array indexed by id is both the fastest and the
/// smallest map (5.8 million reviews: 23 MB); an id or product beyond the array's range goes to a dictionary.
/// </summary>
public sealed class IdMap
{
    const long DenseLimit = 1L << 25; // 33 million ids: 128 MB at most
    int[] dense = new int[1024];
    readonly Dictionary<long, long> sparse = [];

    /// <summary>Adds id → product (product > 0); false when the id is already there.</summary>
    public bool TryAdd(long id, long product)
    {
        if (Get(id) != 0)
            return false;
        if (id < DenseLimit && product <= int.MaxValue)
        {
            Dense.Grow(ref dense, id);
            dense[id] = (int)product;
        }
        else
            sparse.Add(id, product);
        return true;
    }

    /// <summary>The product stored with the id, or 0 when the id is absent.</summary>
    public long Get(long id)
    {
        if (id < dense.Length && dense[id] != 0)
            return dense[id];
        return sparse.Count == 0 ? 0 : sparse.GetValueOrDefault(id);
    }

    public bool Contains(long id) => Get(id) != 0;
}

/// <summary>Which ids a file has loaded, one bit each (19.3 million ratings: 2.4 MB).</summary>
public sealed class IdSet
{
    const long DenseLimit = 1L << 30; // a billion ids: 128 MB at most
    ulong[] bits = new ulong[64];
    readonly HashSet<long> sparse = [];

    /// <summary>Adds the id; false when it is already there.</summary>
    public bool Add(long id)
    {
        if (id >= DenseLimit)
            return sparse.Add(id);
        Dense.Grow(ref bits, id >> 6);
        var mask = 1UL << (int)(id & 63);
        if ((bits[id >> 6] & mask) != 0)
            return false;
        bits[id >> 6] |= mask;
        return true;
    }
}

static class Dense
{
    /// <summary>Grows the array (at least doubling, so growth costs O(n) in all) until it has an index.</summary>
    public static void Grow<T>(ref T[] array, long index)
    {
        if (index < array.Length)
            return;
        Array.Resize(ref array, (int)Math.Min(Array.MaxLength, Math.Max(index + 1, array.Length * 2L)));
    }
}
