using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Npgsql;
using Reviews.Cache;
using Reviews.Generator;
using Reviews.Hosting;
using Reviews.Importer;
using Reviews.Store;
using Reviews.Telemetry;

namespace Reviews.Cli;

/// <summary>What the commands do, step by step: `up` is migrate, demo data the first time, serve.</summary>
static class Steps
{
    /// <summary>The demo data set (generated into the data folder), the first time: when the database holds no reviews.</summary>
    public static async Task DemoDataIfEmptyAsync(Target db, TextWriter output, CancellationToken ct)
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
    public static async Task<ImportResult> ImportAsync(Target db, ImportOptions options, TextWriter output, CancellationToken ct)
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

    public static async Task MigrateAsync(string connectionString, TextWriter output, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var applied = await Migrations.ApplyAllAsync(connection, ct);
        output.WriteLine(applied == 0 ? "Schema up to date." : $"Applied {applied} migration(s).");
        // (after the migration that added them, or an import interrupted before it was done)
        if (await SearchVectors.FillAsync(connectionString, ct) is > 0 and var filled)
            output.WriteLine($"Filled {filled:N0} reviews' search vectors.");
    }

    public static async Task<long> ReviewCountAsync(string connectionString, CancellationToken ct)
    {
        await using var dataSource = Database.CreateDataSource(connectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM (SELECT 1 FROM reviews LIMIT 1) AS any_review");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public static async Task ServeAsync(Dictionary<string, string?> settings, TextWriter output, CancellationToken ct)
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
