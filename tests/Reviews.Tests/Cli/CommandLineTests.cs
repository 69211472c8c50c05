using Reviews.Store;

namespace Reviews.Tests.Cli;

[Collection(PostgresCollection.Name)]
public sealed class CommandLineTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrate_creates_the_schema_and_a_second_run_changes_nothing()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();
        var first = await CommandLine.RunAsync("migrate", "--database", database);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"Applied {Migrations.All.Count} migration(s).", first.Output);
        var schema = await PostgresFixture.ScalarAsync<string>(database,
            "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'reviews'");

        var second = await CommandLine.RunAsync("migrate", "--database", database);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("Schema up to date.", second.Output);
        Assert.Equal(schema, await PostgresFixture.ScalarAsync<string>(database,
            "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'reviews'"));
        Assert.Equal(Migrations.All.Count, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM schema_migrations"));
        // Room in each reviews page for votes and reports to update in place (0002).
        Assert.Equal("fillfactor=90", await PostgresFixture.ScalarAsync<string>(database,
            "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'reviews.reviews'::regclass"));
    }

    [Fact]
    public async Task The_database_can_come_from_the_environment()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();
        Environment.SetEnvironmentVariable("REVIEWS_DATABASE", database);
        try
        {
            Assert.Equal(0, (await CommandLine.RunAsync("migrate")).ExitCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("REVIEWS_DATABASE", null);
        }
        Assert.Equal(Migrations.All.Count, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task An_unreachable_database_is_a_message_and_exit_1()
    {
        var result = await CommandLine.RunAsync("migrate", "--database", "Host=127.0.0.1;Port=1;Username=x;Database=y;Timeout=2");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Theory]
    [InlineData("generate", "--products", "0", "--out", "/tmp/never")]
    [InlineData("generate", "--dirty", "0.9", "--out", "/tmp/never")]
    [InlineData("generate", "--dirty", "-1", "--out", "/tmp/never")]
    [InlineData("serve", "--cache-mb", "0")]
    [InlineData("up", "--cache-mb", "-5")]
    [InlineData("generate")]
    [InlineData("import")]
    [InlineData("bogus")]
    [InlineData("serve", "--port", "x")]
    public async Task Bad_arguments_are_a_message_and_a_non_zero_exit(params string[] args)
    {
        var result = await CommandLine.RunAsync(args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.NotEqual("", result.Error.Trim());
    }

    [Theory]
    [InlineData("up")]
    [InlineData("serve")]
    [InlineData("migrate")]
    [InlineData("import")]
    [InlineData("generate")]
    public async Task Every_command_has_help(string command)
    {
        var result = await CommandLine.RunAsync(command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output);
    }
}
