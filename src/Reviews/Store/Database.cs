using Npgsql;

namespace Reviews.Store;

/// <summary>Where the data lives: one PostgreSQL schema, named here, that every query resolves against.</summary>
public static class Database
{
    /// <summary>The schema the service reads and writes. The importer builds its replacement beside it.</summary>
    public const string Schema = "reviews";

    /// <summary>
    /// The NOTIFY channel on which writers tell every running instance which products changed (payload: product
    /// ids, comma-separated), or <see cref="EverythingChanged"/> when an import swapped in new data.
    /// </summary>
    public const string ChangesChannel = "reviews_changed";

    public const string EverythingChanged = "*";

    /// <summary>The environment variable that names the database (an Npgsql connection string).</summary>
    public const string EnvironmentVariable = "REVIEWS_DATABASE";

    /// <summary>A data source whose connections resolve unqualified table names in <see cref="Schema"/>.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, string schema = Schema)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.SearchPath = schema;
        // The API runs a handful of statements over and over: prepared once per connection, each request
        // skips PostgreSQL's parse and plan.
        // (Measured: docs/benchmarks.md. A connection string that sets Max Auto Prepare keeps its own.)
        if (!builder.ConnectionStringBuilder.ContainsKey("Max Auto Prepare"))
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        return builder.Build();
    }
}
