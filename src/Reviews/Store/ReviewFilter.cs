namespace Reviews.Store;

/// <summary>
/// A shopper's narrowing of a product's reviews (GET /reviews' rating, q and with_photos): the stars wanted (a bit per
/// star, 1 to 5; 0 for all), words to search for (websearch_to_tsquery syntax), and whether only reviews with photos.
/// A list without any of them is no filter at all (null), and reads exactly as the legacy API did.
/// </summary>
public sealed record ReviewFilter(int Stars, string? Search, bool WithPhotos)
{
    public bool Includes(int rating) => Stars == 0 || (Stars >> (rating - 1) & 1) == 1;
}
