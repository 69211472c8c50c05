using Npgsql;
using Reviews.Store;

namespace Reviews.Tests.Cli;

public sealed class CommandLineTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task Migrate_creates_the_schema_and_a_second_run_changes_nothing()
    {
        var database = await NewEmptyDatabaseAsync();
        var first = await CommandLine.RunAsync("migrate", "--database", database);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"Applied {Migrations.All.Count + Migrations.Staff.Count} migration(s).", first.Output);
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

    /// <summary>Runs the built `reviews` as a process of its own, with <paramref name="environment"/> added to its environment.</summary>
    internal static async Task<CommandLine.Result> RunProcessAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "reviews"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            // A password never goes on a command line: Npgsql takes it from PGPASSWORD instead.
            if (arg.Contains("Password=", StringComparison.OrdinalIgnoreCase) && new NpgsqlConnectionStringBuilder(arg) is { Password: { } password } withPassword)
            {
                start.Environment["PGPASSWORD"] = password;
                withPassword.Password = null;
                start.ArgumentList.Add(withPassword.ConnectionString);
            }
            else
                start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new(process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task The_database_can_come_from_the_environment_and_a_flag_overrides_it()
    {
        var database = await NewEmptyDatabaseAsync();
        var fromEnvironment = await RunProcessAsync(new() { ["ConnectionStrings__Reviews"] = database }, "migrate");
        Assert.Equal(0, fromEnvironment.ExitCode);
        Assert.Equal(Migrations.All.Count, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM schema_migrations"));

        var overridden = await RunProcessAsync(new() { ["ConnectionStrings__Reviews"] = "Host=127.0.0.1;Port=1;Username=x;Timeout=1" },
            "migrate", "--database", database);
        Assert.Equal(0, overridden.ExitCode);
        Assert.Contains("Schema up to date.", overridden.Output);
    }

    [Theory]
    [InlineData("0", "Reviews:Cache:SizeMb (--cache-mb) must be from 1 to 1048576 MiB")]
    [InlineData("lots", "Reviews:Cache:SizeMb")]
    [InlineData("-1", "Reviews:Traffic:PermitsPerSecond", "Reviews__Traffic__PermitsPerSecond")]
    [InlineData("many", "Reviews:Traffic:Burst", "Reviews__Traffic__Burst")]
    [InlineData("0", "Reviews:Standbys:MaxLagSeconds", "Reviews__Standbys__MaxLagSeconds")]
    public async Task A_bad_setting_from_the_environment_is_a_message_and_exit_1(string value, string message, string variable = "Reviews__Cache__SizeMb")
    {
        var result = await RunProcessAsync(new() { [variable] = value }, "serve", "--database", "Host=127.0.0.1;Port=1;Username=x");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task Help_lists_every_setting_with_its_flag_environment_variable_and_default()
    {
        var result = await CommandLine.RunAsync("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var setting in Reviews.Hosting.ServiceSettings.All)
        {
            Assert.Contains(setting.Key, result.Output);
            Assert.Contains(setting.ToString(), result.Output);
        }
    }

    [Fact]
    public async Task Unconfigured_the_cache_takes_a_quarter_of_the_memory_the_process_may_use()
    {
        // The GC told it may use 4 GiB (as a container's memory limit tells it): a quarter is 1,024 MiB, whatever this
        // machine has. Nothing in appsettings.json or the environment may set another size.
        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "reviews"), ["serve", "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_GCHeapHardLimit"] = "0x100000000", ["ConnectionStrings__Reviews"] = await NewSeededDatabaseAsync() },
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            // Its logs come first (JSON lines, off a terminal), then the line that says what it serves with.
            string? line;
            do
                line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            while (line is not null && !line.StartsWith("Serving", StringComparison.Ordinal));
            Assert.Contains("response cache 1024 MiB", line);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Migrate_with_demo_data_loads_it_into_an_empty_database_once()
    {
        var database = await NewEmptyDatabaseAsync();
        var dataFolder = TempFiles.Path("demo-data");
        var first = await RunProcessAsync(new() { ["Reviews__DataDirectory"] = dataFolder }, "migrate", "--demo-data", "--database", database);
        Assert.Equal(0, first.ExitCode);
        var reviews = await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews");
        Assert.True(reviews > 10_000, $"{reviews} reviews");

        var second = await RunProcessAsync(new() { ["Reviews__DataDirectory"] = dataFolder }, "migrate", "--demo-data", "--database", database);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(reviews, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews"));
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
    [InlineData("up", "--port", "x")]
    [InlineData("serve", "--port", "3000")]
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
