using Reviews.Store;

namespace Reviews.Cache;

/// <summary>Which answer: the meta, or one page of the list (narrowed by a filter, or not).</summary>
public readonly record struct CacheKey(long ProductId, ReviewSort? Sort = null, int Page = 0, int Count = 0, ReviewFilter? Filter = null);
