using Npgsql;
using Reviews.Cli;
using Reviews.Importer;
using Reviews.Store;

namespace Reviews.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL for the whole run: the server named by REVIEWS_TEST_DATABASE (a connection string whose
/// user may create databases), else a private cluster made with initdb in a temporary folder and stopped at
/// the end. Each test gets a database of its own, empty or cloned from the seeded contract data set.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    LocalPostgres? cluster;
    string tempDirectory = "";
    string admin = "";
    readonly SemaphoreSlim templateLock = new(1, 1);
    bool templateReady;

    /// <summary>A superuser's connection string to the server's postgres database.</summary>
    public string AdminConnectionString => admin;

    public static string DataPath(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Data", .. parts]);

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("REVIEWS_TEST_DATABASE") is { Length: > 0 } given)
        {
            admin = given;
            return;
        }
        tempDirectory = TempFiles.Path("reviews-tests");
        cluster = new LocalPostgres(tempDirectory, TextWriter.Null, durable: false);
        await cluster.StartAsync(CancellationToken.None);
        admin = cluster.ConnectionString("postgres");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();

        if (cluster is not null)
            await cluster.StopAsync();
        if (tempDirectory.Length > 0)
            Directory.Delete(tempDirectory, recursive: true);
    }

    /// <summary>A new, empty database (no schema at all).</summary>
    public Task<string> CreateEmptyDatabaseAsync() => CreateAsync(template: null);

    /// <summary>A new database holding the contract data set (tests/Reviews.Tests/Data/contract), imported with the importer.</summary>
    public async Task<string> CreateSeededDatabaseAsync()
    {
        await templateLock.WaitAsync();
        try
        {
            if (!templateReady)
            {
                await ExecuteAsync(admin, "DROP DATABASE IF EXISTS reviews_contract_template");
                await ExecuteAsync(admin, "CREATE DATABASE reviews_contract_template");
                var connection = With(admin, "reviews_contract_template");
                var result = await new CsvImporter(connection).RunAsync(
                    new ImportOptions(DataPath("contract"), TempFiles.Path("contract-rejects") + ".csv"), CancellationToken.None);
                if (result.Rejected != 0)
                    throw new InvalidOperationException("The contract data set must load without rejects.");
                NpgsqlConnection.ClearAllPools(); // a template must have no open connections
                templateReady = true;
            }
        }
        finally
        {
            templateLock.Release();
        }
        return await CreateAsync("reviews_contract_template");
    }

    async Task<string> CreateAsync(string? template)
    {
        var name = $"t_{Guid.NewGuid():N}";
        await ExecuteAsync(admin, template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}");
        return With(admin, name);
    }

    /// <summary>Drops a database made by <see cref="CreateEmptyDatabaseAsync"/> or <see cref="CreateSeededDatabaseAsync"/>.</summary>
    public static async Task DropAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString);
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        await ExecuteAsync(With(connectionString, "postgres"), $"DROP DATABASE IF EXISTS {database.Database} WITH (FORCE)");
    }

    static string With(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A query's single value, in the service's schema.</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var dataSource = Database.CreateDataSource(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A fingerprint of every table's content, to show that a rejected request changed nothing.</summary>
    public static Task<string> SnapshotAsync(string connectionString) => ScalarAsync<string>(connectionString, """
        SELECT md5(concat_ws('|',
            (SELECT string_agg(r::text, ',' ORDER BY id) FROM reviews r),
            (SELECT string_agg(p::text, ',' ORDER BY id) FROM photos p),
            (SELECT string_agg(c::text, ',' ORDER BY id) FROM characteristics c),
            (SELECT string_agg(c::text, ',' ORDER BY id) FROM characteristic_reviews c),
            (SELECT string_agg(s::text, ',' ORDER BY product_id) FROM product_stats s),
            (SELECT string_agg(s::text, ',' ORDER BY characteristic_id) FROM characteristic_stats s)))
        """);
}
