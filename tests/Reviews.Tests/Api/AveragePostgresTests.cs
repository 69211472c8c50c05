using Npgsql;
using Reviews.Contract;

namespace Reviews.Tests.Api;

/// <summary>
/// The 16-decimal average against PostgreSQL's own numeric division (the dividend given 20 decimals, so that the
/// quotient has more than 16 before rounding): 2,000 random sums of 1-to-5 ratings, in one query.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AveragePostgresTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_average_text_is_postgres_numeric_division_rounded_to_16_decimals()
    {
        var random = new Random(20261127);
        var cases = Enumerable.Range(0, 2000).Select(_ => random.NextInt64(1, 20_000_000))
            .Select(count => (Sum: random.NextInt64(count, 5 * count + 1), Count: count)).ToArray(); // ratings 1 to 5

        await using var dataSource = NpgsqlDataSource.Create(postgres.AdminConnectionString);
        await using var command = dataSource.CreateCommand("SELECT round(s::numeric(40, 20) / c, 16)::text FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS t(s, c, n) ORDER BY n");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. cases.Select(c => c.Sum)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. cases.Select(c => c.Count)] });
        await using var reader = await command.ExecuteReaderAsync();
        foreach (var (sum, count) in cases)
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(reader.GetString(0), Average.Format(sum, count));
        }
    }
}
