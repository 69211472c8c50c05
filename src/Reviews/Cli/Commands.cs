using System.CommandLine;
using Reviews.Configuration;
using Reviews.Exporter;
using Reviews.Generator;
using Reviews.Hosting;
using Reviews.Importer;
using Reviews.Staff;
using static Reviews.Cli.CommandOptions;

namespace Reviews.Cli;

/// <summary>The `reviews` command line: one tool to run, load and feed the service.</summary>
public static class Commands
{
    public static RootCommand Root() => new($"reviews: the Atelier Ratings & Reviews service and its tools\n\n{SettingsCatalog.Help(ServiceSettings.All)}")
    {
        Up(), Serve(), Migrate(), Import(), Export(), Generate(), Token(),
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
        command.SetAction((parse, ct) => Guard.Guarded(parse, async (output, db) =>
        {
            await Steps.MigrateAsync(db.ConnectionString, output, ct);
            await Steps.DemoDataIfEmptyAsync(db, output, ct);
            foreach (var (key, value) in StaffKeys.Ensure(db.Configuration, db.DataDirectory))
                db.Settings[key] = value;
            output.WriteLine("Staff: `./reviews token --role moderator` prints a token for /moderation (README, \"Staff\").");
            await Steps.ServeAsync(db.Settings, output, ct);
            return 0;
        }, Guard.Override(ServiceSettings.Urls, $"http://127.0.0.1:{parse.GetValue(port)}")));
        return command;
    }

    static Command Serve()
    {
        var urls = new Option<string[]>(ServiceSettings.Urls.Flag) { Description = Describe(ServiceSettings.Urls), AllowMultipleArgumentsPerToken = true };
        var command = new Command("serve", "Serve the API (the schema must be migrated).") { urls, NoCacheOption, CacheMbOption, DatabaseOption };
        command.SetAction((parse, ct) => Guard.Guarded(parse, async (output, db) =>
        {
            await Steps.ServeAsync(db.Settings, output, ct);
            return 0;
        }, parse.GetValue(urls) is { Length: > 0 } given ? Guard.Override(ServiceSettings.Urls, string.Join(';', given)) : []));
        return command;
    }

    static Command Migrate()
    {
        var demoData = new Option<bool>("--demo-data") { Description = "Then, if the database holds no reviews, load the demo data set (as `up` does)." };
        var command = new Command("migrate", "Apply the schema migrations that are missing (a second run changes nothing).") { demoData, DatabaseOption };
        command.SetAction((parse, ct) => Guard.Guarded(parse, async (output, db) =>
        {
            await Steps.MigrateAsync(db.ConnectionString, output, ct);
            if (parse.GetValue(demoData))
                await Steps.DemoDataIfEmptyAsync(db, output, ct);
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
        command.SetAction((parse, ct) => Guard.Guarded(parse, async (output, db) =>
        {
            var dir = parse.GetValue(directory)!;
            if (!dir.Exists)
                throw new CliException($"No folder {dir.FullName}: give the folder that holds the four CSV files.");
            var result = await Steps.ImportAsync(db,
                new ImportOptions(dir.FullName, parse.GetValue(rejects)!, parse.GetValue(replace), parse.GetValue(validateKeys)), output, ct);
            ImportReport.Print(result, output);
            if (parse.GetValue(summary) is { } path)
                await ImportReport.WriteJsonAsync(result, path, ct);
            return result.Rejected > 0 ? 2 : 0;
        }));
        return command;
    }

    static Command Export()
    {
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "Folder to write the four CSV files to (made if missing; it must not hold them yet)." };
        var command = new Command("export", "Write the reviews, reported ones included, as the four legacy CSV files (docs/data-format.md): " +
            "`reviews import` of that folder gives back the same tables. The portable backup.") { directory, DatabaseOption };
        command.SetAction((parse, ct) => Guard.Guarded(parse, async (output, db) =>
        {
            var dir = parse.GetValue(directory)!.FullName;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            foreach (var file in await new CsvExporter(db.ConnectionString).RunAsync(dir, ct))
                output.WriteLine($"  {file.File.Name,-27} {file.Rows,13:N0} rows {file.Bytes / 1e6,10:N1} MB");
            output.WriteLine($"Exported to {dir} in {clock.Elapsed.TotalSeconds:0.0} s.");
            return 0;
        }));
        return command;
    }

    static Command Token()
    {
        var role = new Option<string[]>("--role")
        {
            Description = $"The role(s) to grant: {string.Join(", ", StaffRoles.All)}.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var subject = new Option<string>("--subject") { Description = "Who signs in (the audit trail's actor).", DefaultValueFactory = _ => Environment.UserName };
        var ttl = new Option<string>("--ttl") { Description = "How long the token is valid: 30m, 1h, 8h, 1d (at most 7d).", DefaultValueFactory = _ => "1h" };
        var command = new Command("token", "Print a staff token signed with the configured Reviews:Auth:SigningKey (or the one `up` made), " +
            "for a stack without an identity provider. Send it as Authorization: Bearer <token>.") { role, subject, ttl };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var configuration = ServiceSettings.Load([]);
                ServiceSettings.Validate(configuration);
                var roles = parse.GetValue(role)!;
                if (roles.FirstOrDefault(r => !StaffRoles.All.Contains(r)) is { } unknown)
                    throw new CliException($"--role {unknown}: a role is one of {string.Join(", ", StaffRoles.All)}.");
                if (!TryLifetime(parse.GetValue(ttl)!, out var lifetime))
                    throw new CliException("--ttl must be a number and a unit (m, h or d), from 1m to 7d: 30m, 1h, 1d.");
                var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
                auth.SigningKey = StaffKeys.FindSigningKey(configuration, ServiceSettings.DataDirectoryIn(configuration))
                    ?? throw new CliException($"No signing key: set {StaffKeys.SigningKey} (a secret file), or run `reviews up` once to make one for the private stack.");
                if (SecretKey.Check(auth.SigningKey, StaffKeys.SigningKey) is { } badKey)
                    throw new CliException($"{StaffKeys.SigningKey} {badKey.ErrorMessage}");
                parse.InvocationConfiguration.Output.WriteLine(StaffTokens.Create(auth, parse.GetValue(subject)!, roles, lifetime));
                return 0;
            }
            catch (Exception e) when (e is CliException or SettingsException)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    static bool TryLifetime(string text, out TimeSpan lifetime)
    {
        lifetime = default;
        if (text.Length < 2 || !int.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            return false;
        lifetime = text[^1] switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), 'd' => TimeSpan.FromDays(n), _ => TimeSpan.Zero };
        return lifetime >= TimeSpan.FromMinutes(1) && lifetime <= TimeSpan.FromDays(7);
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

}
