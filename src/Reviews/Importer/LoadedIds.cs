namespace Reviews.Importer;

/// <summary>What the files loaded so far hold, for the checks of the files after them.</summary>
public sealed class LoadedIds
{
    public IdMap ReviewProducts { get; } = new();

    /// <summary>Reviews erased by privacy requests: not loaded again (read before the files).</summary>
    public IdSet Erased { get; } = new();
    public IdMap CharacteristicProducts { get; } = new();
    public IdSet Photos { get; } = new();
    public IdSet Ratings { get; } = new();
    public Aggregates Aggregates { get; } = new();
}
