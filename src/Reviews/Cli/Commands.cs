using System.CommandLine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using Microsoft.Extensions.Options;
using Reviews.Api;
using Reviews.Cache;
using Reviews.Generator;
using Reviews.Importer;
using Reviews.Store;
using Reviews.Telemetry;

namespace Reviews.Cli;

/// <summary>The `reviews` command line: one tool to run, load and feed the service.</summary>
public static class Commands
{
    static readonly Option<string?> DatabaseOption = new(Settings.Database.Flag) { Description = Describe(Settings.Database) };

    static readonly Option<bool> NoCacheOption = new(Settings.CacheEnabled.Flag)
    {
        Description = $"Answer every GET from the database. [{Settings.CacheEnabled.EnvironmentVariable}=false]",
    };

    static readonly Option<int?> CacheMbOption = new(Settings.CacheSizeMb.Flag) { Description = Describe(Settings.CacheSizeMb) };

    static string Describe(Setting setting) => $"{setting.Description} [{setting.EnvironmentVariable}; default: {setting.Default}]";

    public static RootCommand Root() => new($"reviews: the Atelier Ratings & Reviews service and its tools\n\n{Settings.Help()}")
    {
        Up(), Serve(), Migrate(), Import(), Generate(),
    };

    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null) =>
        Root().Parse(args).InvokeAsync(new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            // Ctrl-C cancels the command's token; give it time to stop the server and the private cluster.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        });

    static Command Up()
    {
        var port = new Option<int>("--port") { Description = "Port to serve on (127.0.0.1).", DefaultValueFactory = _ => 3000 };
        var command = new Command("up", "Start everything: the private PostgreSQL (created on first use), the schema, " +
            "demo data the first time, and the API on http://127.0.0.1:PORT. Ctrl-C stops it all.") { port, NoCacheOption, CacheMbOption, DatabaseOption };
        command.SetAction((parse, ct) => Guarded(parse, async (output, db) =>
        {
            await MigrateAsync(db.ConnectionString, output, ct);
            await DemoDataIfEmptyAsync(db, output, ct);
            await ServeAsync(db.Settings, output, ct);
            return 0;
        }, Override(Settings.Urls, $"http://127.0.0.1:{parse.GetValue(port)}")));
        return command;
    }

    static Command Serve()
    {
        var urls = new Option<string[]>(Settings.Urls.Flag) { Description = Describe(Settings.Urls), AllowMultipleArgumentsPerToken = true };
        var command = new Command("serve", "Serve the API (the schema must be migrated).") { urls, NoCacheOption, CacheMbOption, DatabaseOption };
        command.SetAction((parse, ct) => Guarded(parse, async (output, db) =>
        {
            await ServeAsync(db.Settings, output, ct);
            return 0;
        }, parse.GetValue(urls) is { Length: > 0 } given ? Override(Settings.Urls, string.Join(';', given)) : []));
        return command;
    }

    static Command Migrate()
    {
        var demoData = new Option<bool>("--demo-data") { Description = "Then, if the database holds no reviews, load the demo data set (as `up` does)." };
        var command = new Command("migrate", "Apply the schema migrations that are missing (a second run changes nothing).") { demoData, DatabaseOption };
        command.SetAction((parse, ct) => Guarded(parse, async (output, db) =>
        {
            await MigrateAsync(db.ConnectionString, output, ct);
            if (parse.GetValue(demoData))
                await DemoDataIfEmptyAsync(db, output, ct);
            return 0;
        }));
        return command;
    }

    static Command Import()
    {
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "Folder holding reviews.csv, reviews_photos.csv, characteristics.csv and characteristic_reviews.csv." };
        var rejects = new Option<string>("--rejects") { Description = "Where to write the rows that were not loaded (CSV).", DefaultValueFactory = _ => "reviews-rejects.csv" };
        var replace = new Option<bool>("--replace") { Description = "Replace the data already loaded (swapped in atomically when the new data is complete)." };
        var summary = new Option<string?>("--summary") { Description = "Also write the summary as JSON to this file." };
        var validateKeys = new Option<bool>("--validate-keys")
        {
            Description = "After the swap, have PostgreSQL check every loaded row against the foreign keys too (the importer already has; the API keeps serving meanwhile).",
        };
        var command = new Command("import", "Load the legacy CSV files. Exit 0: every row loaded; 2: some rows rejected (see the report); " +
            "1: failed, and the database is as it was.") { directory, rejects, replace, summary, validateKeys, DatabaseOption };
        command.SetAction((parse, ct) => Guarded(parse, async (output, db) =>
        {
            var dir = parse.GetValue(directory)!;
            if (!dir.Exists)
                throw new CliException($"No folder {dir.FullName}: give the folder that holds the four CSV files.");
            var result = await ImportAsync(db,
                new ImportOptions(dir.FullName, parse.GetValue(rejects)!, parse.GetValue(replace), parse.GetValue(validateKeys)), output, ct);
            ImportReport.Print(result, output);
            if (parse.GetValue(summary) is { } path)
                await ImportReport.WriteJsonAsync(result, path, ct);
            return result.Rejected > 0 ? 2 : 0;
        }));
        return command;
    }

    static Command Generate()
    {
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder to write the four CSV files to.", Required = true };
        var products = new Option<int>("--products") { Description = "Number of products (the other counts in the legacy set's proportions).", DefaultValueFactory = _ => DataGenerator.DemoProducts };
        var full = new Option<bool>("--full") { Description = "The legacy set's exact size: 1,000,011 products, 31.2 million rows (about 2.7 GB)." };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed writes the same bytes.", DefaultValueFactory = _ => 1 };
        var dirty = new Option<double>("--dirty") { Description = $"Spoil this share of rows (0 to 0.5) the ways real exports go wrong, listed in {DataGenerator.ManifestFile}." };
        var command = new Command("generate", "Write a synthetic data set in the legacy CSV format.") { outDir, products, full, seed, dirty };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var n = parse.GetValue(products);
            var rate = parse.GetValue(dirty);
            if (n < 1)
            {
                error.WriteLine("error: --products must be at least 1.");
                return 1;
            }
            if (rate is < 0 or > 0.5 || double.IsNaN(rate))
            {
                error.WriteLine("error: --dirty must be a share of rows from 0 to 0.5 (0.001 spoils one row in a thousand).");
                return 1;
            }
            var plan = parse.GetValue(full) ? GeneratorPlan.Full : GeneratorPlan.Scaled(n);
            var dir = parse.GetValue(outDir)!.FullName;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var counts = new DataGenerator(plan, parse.GetValue(seed), rate).Write(dir);
            parse.InvocationConfiguration.Output.WriteLine($"Wrote {dir} in {clock.Elapsed.TotalSeconds:0.0} s: {counts.Products:N0} products, " +
                $"{counts.Reviews:N0} reviews, {counts.Photos:N0} photos, {counts.Characteristics:N0} characteristics, {counts.Ratings:N0} characteristic ratings" +
                (rate > 0 ? $"; {counts.Spoiled:N0} rows the importer must reject, listed in {DataGenerator.ManifestFile}." : "."));
            return 0;
        });
        return command;
    }

    /// <summary>What a command runs against: the settings it resolved, the database among them, and where the
    /// private cluster and the demo data live.</summary>
    sealed record Target(Dictionary<string, string?> Settings, IConfiguration Configuration, string ConnectionString, string DataDirectory);

    static KeyValuePair<string, string?>[] Override(Setting setting, string value) => [new(setting.Key, value)];

    /// <summary>The flags given, as configuration keys over appsettings.json and the environment.</summary>
    static Dictionary<string, string?> Flags(ParseResult parse, IEnumerable<KeyValuePair<string, string?>> extra)
    {
        var flags = new Dictionary<string, string?>(extra);
        if (parse.GetResult(DatabaseOption) is { Implicit: false })
            flags[Settings.Database.Key] = parse.GetValue(DatabaseOption);
        if (parse.GetResult(NoCacheOption) is { Implicit: false } && parse.GetValue(NoCacheOption))
            flags[Settings.CacheEnabled.Key] = "false";
        if (parse.GetResult(CacheMbOption) is { Implicit: false } && parse.GetValue(CacheMbOption) is { } mb)
            flags[Settings.CacheSizeMb.Key] = mb.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return flags;
    }

    /// <summary>
    /// Runs a command against its database (configured, else the private cluster, which it starts and stops again if
    /// it was not running) and turns known failures into a message and exit 1.
    /// </summary>
    static async Task<int> Guarded(ParseResult parse, Func<TextWriter, Target, Task<int>> run, IEnumerable<KeyValuePair<string, string?>>? extra = null)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        LocalPostgres? local = null;
        try
        {
            var flags = Flags(parse, extra ?? []);
            var configuration = Settings.Load(flags);
            if (!Settings.HasAddresses(configuration))
                flags[Settings.Urls.Key] = Settings.Urls.Default;
            Settings.Validate(configuration);
            var dataDirectory = configuration[Settings.DataDirectory.Key] is { Length: > 0 } dir ? dir : Settings.DataDirectory.Default;
            var connection = configuration.GetConnectionString(Database.ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connection))
            {
                local = new LocalPostgres(dataDirectory, output);
                connection = await local.StartAsync(CancellationToken.None);
                flags[Settings.Database.Key] = connection;
            }
            return await run(output, new Target(flags, configuration, connection, dataDirectory));
        }
        catch (Exception e) when (e is CliException or ImportException or NpgsqlException or ArgumentException or IOException or OptionsValidationException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("Cancelled; nothing was changed by the unfinished step.");
            return 130;
        }
        finally
        {
            if (local is not null)
                await local.StopAsync();
        }
    }

    /// <summary>The demo data set (generated into the data folder), the first time: when the database holds no reviews.</summary>
    static async Task DemoDataIfEmptyAsync(Target db, TextWriter output, CancellationToken ct)
    {
        if (await ReviewCountAsync(db.ConnectionString, ct) > 0)
            return;
        var demo = Path.Combine(db.DataDirectory, "demo");
        output.WriteLine($"First start: generating the demo data set in {demo}…");
        new DataGenerator(DataGenerator.DemoProducts, seed: 1).Write(demo);
        var result = await ImportAsync(db, new ImportOptions(demo, Path.Combine(db.DataDirectory, "demo-rejects.csv")), output, ct);
        ImportReport.Print(result, output);
    }

    /// <summary>Runs an import with its progress on show, and as metrics (exported when OTLP is configured).</summary>
    static async Task<ImportResult> ImportAsync(Target db, ImportOptions options, TextWriter output, CancellationToken ct)
    {
        var progress = new ImportProgress();
        using var metrics = new ImportMetrics(progress, db.Configuration);
        using var stop = new CancellationTokenSource();
        var display = ProgressDisplay.RunAsync(progress, output, stop.Token);
        try
        {
            return await new CsvImporter(db.ConnectionString, progress).RunAsync(options, ct);
        }
        finally
        {
            await stop.CancelAsync();
            await display;
        }
    }

    static async Task MigrateAsync(string connectionString, TextWriter output, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var applied = await Migrations.ApplyAsync(connection, Database.Schema, ct);
        output.WriteLine(applied == 0 ? "Schema up to date." : $"Applied {applied} migration(s).");
    }

    static async Task<long> ReviewCountAsync(string connectionString, CancellationToken ct)
    {
        await using var dataSource = Database.CreateDataSource(connectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM (SELECT 1 FROM reviews LIMIT 1) AS any_review");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    static async Task ServeAsync(Dictionary<string, string?> settings, TextWriter output, CancellationToken ct)
    {
        await using var app = ReviewsApi.Build(settings);
        await app.StartAsync(ct);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var cache = app.Services.GetRequiredService<IOptions<CacheOptions>>().Value;
        output.WriteLine($"Serving the reviews API on {string.Join(", ", addresses)}, " +
            (cache.Enabled ? $"response cache {cache.EffectiveSizeMb} MiB" : "no response cache") + "; API docs at /docs (Ctrl-C to stop)");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
    }
}
