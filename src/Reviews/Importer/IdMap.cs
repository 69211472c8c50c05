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
