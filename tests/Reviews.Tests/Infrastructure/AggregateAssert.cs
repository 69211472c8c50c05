namespace Reviews.Tests.Infrastructure;

public static class AggregateAssert
{
    /// <summary>The kept aggregate tables hold exactly what a from-scratch aggregation of the rows gives.</summary>
    public static async Task MatchRecountAsync(string connectionString)
    {
        var differences = await PostgresFixture.ScalarAsync<long>(connectionString, """
            WITH recount AS (
                SELECT product_id,
                       count(*) FILTER (WHERE rating = 1) AS r1, count(*) FILTER (WHERE rating = 2) AS r2,
                       count(*) FILTER (WHERE rating = 3) AS r3, count(*) FILTER (WHERE rating = 4) AS r4,
                       count(*) FILTER (WHERE rating = 5) AS r5,
                       count(*) FILTER (WHERE NOT recommend) AS rf, count(*) FILTER (WHERE recommend) AS rt
                FROM reviews WHERE NOT reported GROUP BY product_id),
            kept AS (
                SELECT product_id, rating_1, rating_2, rating_3, rating_4, rating_5, recommended_false, recommended_true
                FROM product_stats
                WHERE rating_1 + rating_2 + rating_3 + rating_4 + rating_5 > 0),
            ratings AS (
                SELECT cr.characteristic_id, sum(cr.value) AS total, count(*) AS n
                FROM characteristic_reviews cr JOIN reviews r ON r.id = cr.review_id
                WHERE NOT r.reported GROUP BY cr.characteristic_id),
            kept_ratings AS (
                SELECT characteristic_id, ratings_sum, ratings_count FROM characteristic_stats WHERE ratings_count > 0)
            SELECT (SELECT count(*) FROM ((TABLE recount EXCEPT TABLE kept) UNION ALL (TABLE kept EXCEPT TABLE recount)) AS d)
                 + (SELECT count(*) FROM ((TABLE ratings EXCEPT TABLE kept_ratings) UNION ALL (TABLE kept_ratings EXCEPT TABLE ratings)) AS d)
            """);
        Assert.Equal(0, differences);
    }
}
