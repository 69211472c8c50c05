namespace Reviews.Tests.Infrastructure;

/// <summary>A test with its own copy of the contract data set (Data/contract) served on a real Kestrel.</summary>
public abstract class SeededApiTest(PostgresFixture postgres) : DatabaseTest(postgres)
{
    protected ApiServer Api { get; private set; } = null!;

    public override async Task InitializeAsync() => Api = await ApiServer.StartAsync(await NewSeededDatabaseAsync());

    public override async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await base.DisposeAsync();
    }
}
