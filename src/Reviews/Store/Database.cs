using Npgsql;

namespace Reviews.Store;

/// <summary>Where the data lives: one PostgreSQL schema, named here, that every query resolves against.</summary>
public static class Database
{
    /// <summary>The schema the service reads and writes. The importer builds its replacement beside it.</summary>
    public const string Schema = "reviews";

    /// <summary>The staff's records (the audit trail, erasures): beside the reviews, and kept when an import replaces them.</summary>
    public const string StaffSchema = "staff";

    /// <summary>The name of the connection string in configuration (ConnectionStrings:Reviews).</summary>
    public const string ConnectionStringName = "Reviews";

    /// <summary>The service key of the data source whose one connection LISTENs for change notices.</summary>
    public const string Listener = "listener";

    /// <summary>The service key of the data source on the primary (writes, notices): a read-write session.</summary>
    public const string Primary = "primary";

    /// <summary>The service key of the data source for reads: a standby's session if one is up, else the primary's.</summary>
    public const string Reads = "reads";

    /// <summary>
    /// The service's data sources: <see cref="Primary"/> (read-write sessions) and <see cref="Reads"/> (a standby
    /// when there is one: prefer-standby), which are one plain data source when the connection string names one host;
    /// the unkeyed one (any server: health checks); and the <see cref="Listener"/>'s.
    /// </summary>
    public static IServiceCollection AddDataSources(this IServiceCollection services, string connectionString)
    {
        if (HasStandbys(new NpgsqlConnectionStringBuilder(connectionString)))
        {
            services.AddMultiHostNpgsqlDataSource(connectionString, b => Configure(b));
            services.AddKeyedSingleton(Primary, (sp, _) => sp.GetRequiredService<NpgsqlMultiHostDataSource>().WithTargetSession(TargetSessionAttributes.ReadWrite));
            services.AddKeyedSingleton(Reads, (sp, _) => sp.GetRequiredService<NpgsqlMultiHostDataSource>().WithTargetSession(TargetSessionAttributes.PreferStandby));
        }
        else
        {
            services.AddNpgsqlDataSource(connectionString, b => Configure(b));
            services.AddKeyedSingleton(Primary, (sp, _) => sp.GetRequiredService<NpgsqlDataSource>());
            services.AddKeyedSingleton(Reads, (sp, _) => sp.GetRequiredService<NpgsqlDataSource>());
        }
        return services.AddNpgsqlDataSource(connectionString, ConfigureListener, serviceKey: Listener);
    }

    /// <summary>A data source whose connections resolve unqualified table names in <paramref name="schema"/>.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, string schema = Schema)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        Configure(builder, schema);
        return builder.Build();
    }

    /// <summary>
    /// The service's connection settings, on top of the connection string's: the schema, and defaults measured on
    /// the read path (docs/read-path.md), each kept where the connection string sets its own.
    /// </summary>
    public static void Configure(NpgsqlDataSourceBuilder builder, string schema = Schema)
    {
        var settings = builder.ConnectionStringBuilder;
        var given = KeysSetIn(settings);
        settings.SearchPath = schema;
        // The API runs a handful of statements over and over: prepared once per connection, each request skips
        // PostgreSQL's parse and plan.
        if (!given.Contains("max auto prepare"))
            settings.MaxAutoPrepare = 16;
        // ...and planned once: every statement here is a lookup by key whose best plan does not depend on the key,
        // but PostgreSQL, guessing the rows a LIMIT parameter leaves, would re-plan the list query on every run.
        AddOption(settings, "plan_cache_mode", "force_generic_plan");
        // Bounded waits: a write stuck behind a row lock gives up after 2 s, any statement after 10 s (before Npgsql's
        // own 30 s), and the client gets a 503 "busy" to retry, instead of a pooled connection held for as long as
        // the lock is. Every request here takes milliseconds.
        AddOption(settings, "lock_timeout", "2s");
        AddOption(settings, "statement_timeout", "10s");
        // Npgsql's own bounds, for a server that stops answering without closing the connection (a network cut):
        // a statement gives up a little after the server's statement_timeout would have ended it (not 30 s), a new
        // connection after 5 s (not 15), so such a request is a 503 in seconds.
        if (!given.Contains("command timeout"))
            settings.CommandTimeout = 12;
        if (!given.Contains("timeout"))
            settings.Timeout = 5;
        // Few connections: PostgreSQL does the most work with about as many busy backends as it has cores, and
        // a request waiting here for a connection costs less than one more backend contending for them.
        // (Measured on 2 cores, cache off, 64 clients: 100 connections 3,084 lists/s; 16: 4,913; 8: 6,374.)
        if (!given.Contains("maximum pool size"))
            settings.MaxPoolSize = 4 * Environment.ProcessorCount;
        // No session state outlives a statement here (no SET, temporary table or session lock; LISTEN has its
        // own connection), so the reset Npgsql would send before each reuse of a pooled connection is pure cost.
        if (!given.Contains("no reset on close"))
            settings.NoResetOnClose = true;
    }

    /// <summary>Sets a server setting through the connection's startup options, unless the connection string sets it.</summary>
    static void AddOption(NpgsqlConnectionStringBuilder settings, string name, string value)
    {
        if (settings.Options?.Contains(name, StringComparison.Ordinal) != true)
            settings.Options = $"{settings.Options} -c {name}={value}".TrimStart();
    }

    /// <summary>The cache listener's one long-lived connection: unpooled, and kept alive so that a dead peer is
    /// noticed while it waits, not at the next write.</summary>
    public static void ConfigureListener(NpgsqlDataSourceBuilder builder)
    {
        var settings = builder.ConnectionStringBuilder;
        // NOTIFY is delivered on the server that ran it: the primary.
        if (HasStandbys(settings))
            settings.TargetSessionAttributes = "read-write";
        settings.ApplicationName = "reviews-cache-listener";
        settings.KeepAlive = 5;
        settings.Pooling = false;
    }

    /// <summary>Whether the connection string names several hosts (a primary and its standbys, in any order).</summary>
    public static bool HasStandbys(NpgsqlConnectionStringBuilder settings) => settings.Host?.Contains(',') == true;

    /// <summary>
    /// The keywords a connection string really sets, in Npgsql's canonical spelling (MaxPoolSize=50 and
    /// "Maximum Pool Size=50" are both "maximum pool size"). The builder's own ContainsKey can't tell: it is
    /// true for every keyword Npgsql knows; its ConnectionString holds only what was set.
    /// </summary>
    static HashSet<string> KeysSetIn(NpgsqlConnectionStringBuilder settings) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = settings.ConnectionString }.Keys
            .Cast<string>().Select(key => key.ToLowerInvariant()).ToHashSet();
}
