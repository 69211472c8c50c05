namespace Reviews.Tests.Infrastructure;

/// <summary>A test with its own copy of the contract data set (Data/contract) served on a real Kestrel.</summary>
[Collection(PostgresCollection.Name)]
public abstract class SeededApiTest(PostgresFixture postgres) : IAsyncLifetime
{
    protected ApiServer Api { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Api = await ApiServer.StartAsync(await postgres.CreateSeededDatabaseAsync());
    public virtual async Task DisposeAsync() => await Api.DisposeAsync();
}
