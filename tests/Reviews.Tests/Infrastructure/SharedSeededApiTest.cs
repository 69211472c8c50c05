namespace Reviews.Tests.Infrastructure;

/// <summary>A test class whose tests share one served copy of the contract data set (<see cref="SharedSeededApi"/>).</summary>
[Collection(PostgresCollection.Name)]
public abstract class SharedSeededApiTest(SharedSeededApi shared) : IClassFixture<SharedSeededApi>
{
    protected ApiServer Api => shared.Api;
}
