using Npgsql;

namespace Reviews.Store;

/// <summary>Where the data lives: one PostgreSQL schema, named here, that every query resolves against.</summary>
public static class Database
{
    /// <summary>The schema the service reads and writes. The importer builds its replacement beside it.</summary>
    public const string Schema = "reviews";

    /// <summary>
    /// The NOTIFY channel on which writers tell every running instance which products changed (payload: the sending
    /// instance, a colon, product ids comma-separated), or <see cref="EverythingChanged"/> when an import swapped
    /// in new data.
    /// </summary>
    public const string ChangesChannel = "reviews_changed";

    public const string EverythingChanged = "*";

    /// <summary>The environment variable that names the database (an Npgsql connection string).</summary>
    public const string EnvironmentVariable = "REVIEWS_DATABASE";

    /// <summary>A data source whose connections resolve unqualified table names in <see cref="Schema"/>.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, string schema = Schema)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.SearchPath = schema;
        // Settings measured on the read path (docs/read-path.md); a connection string that sets one keeps its own.
        // The API runs a handful of statements over and over: prepared once per connection, each request skips
        // PostgreSQL's parse and plan.
        var given = KeysOf(connectionString);
        if (!given.Contains("maxautoprepare"))
            settings.MaxAutoPrepare = 16;
        // ...and planned once: every statement here is a lookup by key whose best plan does not depend on the key,
        // but PostgreSQL, guessing the rows a LIMIT parameter leaves, would re-plan the list query on every run.
        if (settings.Options?.Contains("plan_cache_mode") != true)
            settings.Options = $"-c plan_cache_mode=force_generic_plan {settings.Options}".TrimEnd();
        // Few connections: PostgreSQL does the most work with about as many busy backends as it has cores, and
        // a request waiting here for a connection costs less than one more backend contending for them.
        // (Measured on 2 cores, cache off, 64 clients: 100 connections 3,084 lists/s; 16: 4,913; 8: 6,374.)
        if (!given.Contains("maximumpoolsize"))
            settings.MaxPoolSize = 4 * Environment.ProcessorCount;
        // No session state outlives a statement here (no SET, temporary table or session lock; LISTEN has its
        // own connection), so the reset Npgsql would send before each reuse of a pooled connection is pure cost.
        if (!given.Contains("noresetonclose"))
            settings.NoResetOnClose = true;
        return builder.Build();
    }

    // The keys a connection string sets, lower case without spaces. (NpgsqlConnectionStringBuilder.ContainsKey
    // can't tell: it is true for every keyword Npgsql knows.)
    static HashSet<string> KeysOf(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(key => key.Replace(" ", "").ToLowerInvariant()).ToHashSet();
}
