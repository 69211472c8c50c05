namespace Reviews.Tests.Infrastructure;

/// <summary>
/// A test that makes databases of its own on the shared server: each is dropped when the test is over, whatever
/// its outcome, so a run leaves nothing behind and the server stays small.
/// </summary>
[Collection(PostgresCollection.Name)]
public abstract class DatabaseTest(PostgresFixture postgres) : IAsyncLifetime
{
    readonly List<string> databases = [];

    protected PostgresFixture Postgres => postgres;

    /// <summary>A new, empty database (no schema at all).</summary>
    protected Task<string> NewEmptyDatabaseAsync() => Keep(postgres.CreateEmptyDatabaseAsync());

    /// <summary>A new database holding the contract data set (Data/contract).</summary>
    protected Task<string> NewSeededDatabaseAsync() => Keep(postgres.CreateSeededDatabaseAsync());

    async Task<string> Keep(Task<string> creating)
    {
        var database = await creating;
        databases.Add(database);
        return database;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var database in databases)
            await PostgresFixture.DropAsync(database);
    }
}
