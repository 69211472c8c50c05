using Npgsql;
using NpgsqlTypes;

namespace Reviews.Store;

/// <summary>
/// The API's reads: a page of a product's reviews, and its kept totals. Each is one round trip (one batch), on a
/// server that has replayed what the caller requires (<see cref="StoreConnections.ReadAsync"/>).
/// </summary>
public sealed class ReviewQueries(StoreConnections connections)
{
    // One query per sort order; ties always broken by id so that pages are stable.
    static readonly Dictionary<ReviewSort, string> ListSql = new()
    {
        [ReviewSort.Relevant] = ListQuery("", "helpfulness DESC", "date DESC", "id DESC"),
        [ReviewSort.Newest] = ListQuery("", "date DESC", "id DESC"),
        [ReviewSort.Helpful] = ListQuery("", "helpfulness DESC", "id DESC"),
    };

    // The same, narrowed: stars as a bit mask ($4, 0 for all), a search ($5, null for none: matched against the
    // kept tsvector of the summary, body and response, or that computed now where an import has not filled it yet:
    // migration 0005), photos required ($6).
    static readonly Dictionary<ReviewSort, string> FilteredListSql = new()
    {
        [ReviewSort.Relevant] = ListQuery(Filtered, "helpfulness DESC", "date DESC", "id DESC"),
        [ReviewSort.Newest] = ListQuery(Filtered, "date DESC", "id DESC"),
        [ReviewSort.Helpful] = ListQuery(Filtered, "helpfulness DESC", "id DESC"),
    };

    const string Filtered = $"""

          AND ($4 = 0 OR ($4 >> (rating - 1)) & 1 = 1)
          AND ($5::text IS NULL OR coalesce(search, {SearchVector}) @@ websearch_to_tsquery('english', $5))
          AND (NOT $6 OR EXISTS (SELECT 1 FROM photos AS x WHERE x.review_id = reviews.id))
        """;

    /// <summary>What a search matches: the summary, the body and the response, as English (stemmed).</summary>
    public const string SearchVector = "to_tsvector('english', coalesce(summary, '') || ' ' || body || ' ' || coalesce(response, ''))";

    // The page is cut first, then joined to its reviews' photos: one row per photo (a review without one: a row of
    // nulls), in page order then photo id. (A LATERAL array_agg per review gave the same answer at 19,200 queries/s
    // to this join's 24,200: pgbench, 8 clients, docs/read-path.md.)
    static string ListQuery(string filter, params string[] order) => $"""
        SELECT r.id, r.rating, r.summary, r.recommend, r.response, r.body, r.date, r.reviewer_name, r.helpfulness,
               p.id, p.url
        FROM (SELECT * FROM reviews
              WHERE product_id = $1 AND NOT reported{filter}
              ORDER BY {string.Join(", ", order)}
              LIMIT $2 OFFSET $3) AS r
        LEFT JOIN photos AS p ON p.review_id = r.id
        ORDER BY {string.Join(", ", order.Select(column => "r." + column))}, p.id
        """;

    /// <summary>
    /// A page of the product's reviews (narrowed by <paramref name="filter"/>, if any), from a server that has replayed
    /// <paramref name="required"/>.
    /// </summary>
    public Task<List<StoredReview>> ListAsync(long productId, ReviewSort sort, int page, int count, ReviewFilter? filter,
        NpgsqlLogSequenceNumber required, CancellationToken ct) => connections.ReadAsync(required, [(filter is null ? ListSql : FilteredListSql)[sort]], p =>
        {
            p.Add(new NpgsqlParameter<long> { TypedValue = productId });
            p.Add(new NpgsqlParameter<int> { TypedValue = count });
            p.Add(new NpgsqlParameter<long> { TypedValue = (long)(page - 1) * count });
            if (filter is null)
                return;
            p.Add(new NpgsqlParameter<int> { TypedValue = filter.Stars });
            p.Add(new NpgsqlParameter<string?> { TypedValue = filter.Search, NpgsqlDbType = NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter<bool> { TypedValue = filter.WithPhotos });
        }, reader => ReadReviewsAsync(reader, Math.Min(count, 64), ct), ct);

    const string ReviewSql = """
        SELECT r.id, r.rating, r.summary, r.recommend, r.response, r.body, r.date, r.reviewer_name, r.helpfulness,
               p.id, p.url
        FROM reviews AS r
        LEFT JOIN photos AS p ON p.review_id = r.id
        WHERE r.id = $1
        ORDER BY p.id
        """;

    /// <summary>One review as a list shows it, whatever its state, from the primary; null when there is none.</summary>
    public async Task<StoredReview?> FindAsync(long reviewId, CancellationToken ct) =>
        (await connections.ReadAsync(StoreConnections.PrimaryOnly, [ReviewSql], p => p.Add(new NpgsqlParameter<long> { TypedValue = reviewId }),
            reader => ReadReviewsAsync(reader, 1, ct), ct)).SingleOrDefault();

    /// <summary>Reviews from rows of a review's columns then a photo's (nulls without one), in review then photo order.</summary>
    static async Task<List<StoredReview>> ReadReviewsAsync(NpgsqlDataReader reader, int capacity, CancellationToken ct)
    {
        var results = new List<StoredReview>(capacity);
        var photos = new List<StoredPhoto>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            if (results.Count == 0 || results[^1].Id != id) // else the same review's next photo
            {
                Close(results, photos);
                results.Add(new StoredReview(
                    Id: id,
                    Rating: reader.GetInt16(1),
                    Summary: reader.IsDBNull(2) ? null : reader.GetString(2),
                    Recommend: reader.GetBoolean(3),
                    Response: reader.IsDBNull(4) ? null : reader.GetString(4),
                    Body: reader.GetString(5),
                    Date: reader.GetDateTime(6),
                    ReviewerName: reader.GetString(7),
                    Helpfulness: reader.GetInt32(8),
                    Photos: []));
            }
            if (!reader.IsDBNull(9))
                photos.Add(new StoredPhoto(reader.GetInt64(9), reader.GetString(10)));
        }
        Close(results, photos);
        return results;
    }

    /// <summary>Gives the last review read the photos read with it.</summary>
    static void Close(List<StoredReview> results, List<StoredPhoto> photos)
    {
        if (photos.Count == 0)
            return;
        results[^1] = results[^1] with { Photos = [.. photos] };
        photos.Clear();
    }

    const string ProductStatsSql = """
        SELECT rating_1, rating_2, rating_3, rating_4, rating_5, recommended_false, recommended_true
        FROM product_stats WHERE product_id = $1
        """;

    const string CharacteristicStatsSql = """
        SELECT c.id, c.name, s.ratings_sum, s.ratings_count
        FROM characteristics AS c
        LEFT JOIN characteristic_stats AS s ON s.characteristic_id = c.id
        WHERE c.product_id = $1
        ORDER BY c.id
        """;

    /// <summary>
    /// Reads the kept aggregates: two keyed lookups sent as one batch, to a server that has replayed
    /// <paramref name="required"/>.
    /// </summary>
    public Task<ProductTotals> TotalsAsync(long productId, NpgsqlLogSequenceNumber required, CancellationToken ct) =>
        connections.ReadAsync(required, [ProductStatsSql, CharacteristicStatsSql], p => p.Add(new NpgsqlParameter<long> { TypedValue = productId }), async reader =>
        {
            var ratings = new long[5];
            long notRecommended = 0, recommended = 0;
            var characteristics = new List<CharacteristicTotals>();
            if (await reader.ReadAsync(ct))
            {
                for (var i = 0; i < ratings.Length; i++)
                    ratings[i] = reader.GetInt64(i);
                notRecommended = reader.GetInt64(5);
                recommended = reader.GetInt64(6);
            }
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
                characteristics.Add(new CharacteristicTotals(reader.GetInt64(0), reader.GetString(1),
                    Sum: reader.IsDBNull(2) ? 0 : reader.GetInt64(2), Count: reader.IsDBNull(3) ? 0 : reader.GetInt64(3)));
            return new ProductTotals(ratings, notRecommended, recommended, characteristics);
        }, ct);
}
