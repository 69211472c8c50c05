namespace Reviews.Tests.Infrastructure;

/// <summary>
/// The importer's tests, on a cluster of their own: they run beside the API's (a second collection), which halves
/// the suite's time on two cores, and their bulk loads do not share a server with the API tests' timings.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ImportCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres-import";
}
