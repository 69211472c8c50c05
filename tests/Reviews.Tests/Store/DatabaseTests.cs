using Microsoft.Extensions.Options;
using Npgsql;
using Reviews.Store;

namespace Reviews.Tests.Store;

/// <summary>The service's data source prepares the statements it repeats (one parse and plan per connection).</summary>
public sealed class DatabaseTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Theory]
    [InlineData("", 1)]                          // the default: prepared after a few uses
    [InlineData(";Max Auto Prepare=0", 0)]       // a connection string that says otherwise is obeyed
    public async Task A_repeated_query_is_prepared_on_its_connection(string extra, int expected)
    {
        // One connection in the pool, so every use and the check below run on the same session.
        var connectionString = await NewSeededDatabaseAsync() + ";Maximum Pool Size=1" + extra;
        await using var dataSource = Database.CreateDataSource(connectionString);
        var store = new ReviewQueries(new StoreConnections(dataSource, dataSource, Options.Create(new StandbyOptions())));
        for (var i = 0; i < 10; i++)
            await store.ListAsync(productId: 2, ReviewSort.Relevant, page: 1, count: 5, null, StoreConnections.PrimaryOnly, CancellationToken.None);

        await using var command = dataSource.CreateCommand(
            "SELECT count(*)::int FROM pg_prepared_statements WHERE statement LIKE '%FROM reviews%'");
        Assert.Equal(expected, (int)(await command.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("", "kept")]                     // the default: no reset round trip before each reuse
    [InlineData(";No Reset On Close=false", "")] // a connection string that says otherwise is obeyed
    public async Task A_pooled_connection_is_reused_without_a_reset(string extra, string expected)
    {
        var connectionString = await NewEmptyDatabaseAsync() + ";Maximum Pool Size=1" + extra;
        await using var dataSource = Database.CreateDataSource(connectionString);
        // Session state is what a reset would discard; the service itself never leaves any.
        await using (var set = dataSource.CreateCommand("SET application_name = 'kept'"))
            await set.ExecuteNonQueryAsync();

        await using var show = dataSource.CreateCommand("SHOW application_name");
        Assert.Equal(expected, (string)(await show.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("", "force_generic_plan")]                      // the default: planned once per connection
    [InlineData(";Options=-c plan_cache_mode=auto", "auto")]    // a connection string that says otherwise is obeyed
    public async Task Prepared_statements_keep_one_plan(string extra, string expected)
    {
        var connectionString = await NewEmptyDatabaseAsync() + extra;
        await using var dataSource = Database.CreateDataSource(connectionString);
        await using var show = dataSource.CreateCommand("SHOW plan_cache_mode");
        Assert.Equal(expected, (string)(await show.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("", -1)]                         // the default: a few per core (-1: 4 × this machine's cores)
    [InlineData(";Maximum Pool Size=3", 3)]      // a connection string that says otherwise is obeyed
    [InlineData(";Maximum Pool Size=50", 50)]
    [InlineData(";MaxPoolSize=50", 50)]          // Npgsql's other spellings of the keyword count too
    [InlineData(";maxpoolsize=7", 7)]
    public void The_pool_is_sized_to_the_cores(string extra, int expected)
    {
        using var dataSource = Database.CreateDataSource("Host=127.0.0.1;Username=postgres" + extra);
        var size = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize;
        Assert.Equal(expected == -1 ? 4 * Environment.ProcessorCount : expected, size);
    }

    [Theory]
    [InlineData("", 12, 5)]                             // bounded a little past statement_timeout; connecting 5 s
    [InlineData(";Command Timeout=60;Timeout=30", 60, 30)] // a connection string that says otherwise is obeyed
    public void A_server_that_stops_answering_is_given_up_on_in_seconds(string extra, int command, int connect)
    {
        using var dataSource = Database.CreateDataSource("Host=127.0.0.1;Username=postgres" + extra);
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Assert.Equal((command, connect), (settings.CommandTimeout, settings.Timeout));
    }
}
