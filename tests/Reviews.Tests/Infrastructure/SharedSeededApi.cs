namespace Reviews.Tests.Infrastructure;

/// <summary>
/// One copy of the contract data set served for all the tests of a class that only read it or send it bad input
/// (each of those checks that nothing changed): the database and the server start once per class, not per test,
/// and are dropped when the class is done.
/// </summary>
public sealed class SharedSeededApi(PostgresFixture postgres) : IAsyncLifetime
{
    public ApiServer Api { get; private set; } = null!;

    public async Task InitializeAsync() => Api = await ApiServer.StartAsync(await postgres.CreateSeededDatabaseAsync());

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await PostgresFixture.DropAsync(Api.ConnectionString);
    }
}
