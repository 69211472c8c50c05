using Reviews.Store;

namespace Reviews.Cache;

/// <summary>Which answer: the meta, or one page of the list.</summary>
public readonly record struct CacheKey(long ProductId, ReviewSort? Sort = null, int Page = 0, int Count = 0);
