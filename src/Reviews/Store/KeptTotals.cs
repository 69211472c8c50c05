using Npgsql;

namespace Reviews.Store;

/// <summary>
/// Adds a review to its product's and characteristics' kept totals, or takes it out: what a staff action does when a
/// review enters or leaves the public list. Run inside the caller's transaction, after it has locked the review's row,
/// and in the lock order of every write (the review, then its product's totals, then its characteristics').
/// </summary>
public static class KeptTotals
{
    /// <summary>
    /// How a row of increments (<c>excluded</c>) joins a product's kept totals (<c>s</c>): an upsert's conflict clause,
    /// for a new review and for a staff action alike.
    /// </summary>
    public const string AddToProductTotals = """
        ON CONFLICT (product_id) DO UPDATE
        SET rating_1 = s.rating_1 + excluded.rating_1, rating_2 = s.rating_2 + excluded.rating_2,
            rating_3 = s.rating_3 + excluded.rating_3, rating_4 = s.rating_4 + excluded.rating_4,
            rating_5 = s.rating_5 + excluded.rating_5,
            recommended_false = s.recommended_false + excluded.recommended_false,
            recommended_true = s.recommended_true + excluded.recommended_true
        """;

    const string Sql = $"""
        WITH review AS (
            SELECT product_id, rating, recommend FROM reviews WHERE id = $1
        ), product_totals AS (
            INSERT INTO product_stats AS s
                (product_id, rating_1, rating_2, rating_3, rating_4, rating_5, recommended_false, recommended_true)
            SELECT product_id, $2 * (rating = 1)::int, $2 * (rating = 2)::int, $2 * (rating = 3)::int,
                   $2 * (rating = 4)::int, $2 * (rating = 5)::int, $2 * (NOT recommend)::int, $2 * recommend::int
            FROM review
            {AddToProductTotals}
            RETURNING 1
        ), characteristic_totals AS (
            -- After the product's totals (it reads product_totals).
            INSERT INTO characteristic_stats AS s (characteristic_id, ratings_sum, ratings_count)
            SELECT cr.characteristic_id, $2 * sum(cr.value), $2 * count(*)
            FROM characteristic_reviews AS cr, product_totals
            WHERE cr.review_id = $1
            GROUP BY cr.characteristic_id
            ORDER BY cr.characteristic_id
            ON CONFLICT (characteristic_id) DO UPDATE
            SET ratings_sum = s.ratings_sum + excluded.ratings_sum, ratings_count = s.ratings_count + excluded.ratings_count
        )
        SELECT 1
        """;

    /// <summary>Counts the review in (<paramref name="sign"/> 1) or out (-1).</summary>
    public static async Task ApplyAsync(NpgsqlConnection connection, long reviewId, int sign, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reviewId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = sign });
        await command.ExecuteNonQueryAsync(ct);
    }

}
