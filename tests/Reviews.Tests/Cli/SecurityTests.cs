using Npgsql;

namespace Reviews.Tests.Cli;

/// <summary>Safe defaults: the private cluster wants its password, and passwords stay out of messages and command lines.</summary>
public sealed class SecurityTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [SkippableFact]
    public async Task The_private_cluster_refuses_a_connection_without_its_password()
    {
        Skip.If(Environment.GetEnvironmentVariable("REVIEWS_TEST_DATABASE") is { Length: > 0 }, "the tests use a server of their own");
        var admin = new NpgsqlConnectionStringBuilder(Postgres.AdminConnectionString);
        Assert.False(string.IsNullOrEmpty(admin.Password));
        admin.Password = null;
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync()); // no trust, not even on loopback
        admin.Password = "wrong";
        await using var wrong = new NpgsqlConnection(admin.ConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => wrong.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    [Fact]
    public async Task The_connection_string_can_come_from_a_secret_file()
    {
        var database = await NewEmptyDatabaseAsync();
        var secrets = Directory.CreateDirectory(TempFiles.Path("secrets")).FullName;
        await File.WriteAllTextAsync(Path.Combine(secrets, "ConnectionStrings__Reviews"), database);

        var result = await CommandLineTests.RunProcessAsync(new() { ["Reviews__SecretsDirectory"] = secrets }, "migrate");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Reviews.Store.Migrations.All.Count, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task A_password_never_appears_in_what_the_program_prints()
    {
        const string Canary = "canary-7f3a9c";
        var result = await CommandLineTests.RunProcessAsync(
            new() { ["ConnectionStrings__Reviews"] = $"Host=127.0.0.1;Port=1;Username=x;Password={Canary};Timeout=1" }, "migrate");
        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain(Canary, result.Output + result.Error);

        var wrong = new NpgsqlConnectionStringBuilder(Postgres.AdminConnectionString) { Password = Canary, Database = "postgres" };
        var refused = await CommandLineTests.RunProcessAsync(new() { ["ConnectionStrings__Reviews"] = wrong.ConnectionString }, "migrate");
        Assert.Equal(1, refused.ExitCode);
        Assert.DoesNotContain(Canary, refused.Output + refused.Error);
    }
}
