using System.Diagnostics;
using Npgsql;
using Reviews.Cli;
using Reviews.Generator;
using Reviews.Importer;
using Reviews.LegacyCsv;

namespace Reviews.Tests.Importer;

/// <summary>
/// Re-running an import over live data: --replace swaps the new data in whole while the API keeps answering
/// from the old, and an import that is interrupted (Ctrl-C, a killed process, a full disk) leaves the old
/// data serving and nothing half-loaded.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class ReplaceAndInterruptTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    static readonly Lazy<string> LargeSet = new(() =>
    {
        // Big enough that its import takes a few seconds: time to interrupt it mid-way.
        var directory = Path.Combine(TempFiles.Root, "large-set");
        if (!File.Exists(Path.Combine(directory, LegacyFile.Ratings.Name)))
            new DataGenerator(20_000, seed: 11).Write(directory);
        return directory;
    });

    async Task<(string Database, string Snapshot)> LiveData()
    {
        var database = await NewEmptyDatabaseAsync();
        var (result, _) = await CommandLine.ImportAsync(PostgresFixture.DataPath("contract"), database);
        Assert.Equal(0, result.ExitCode);
        return (database, await PostgresFixture.SnapshotAsync(database));
    }

    static async Task AssertUnchanged(string database, string snapshot)
    {
        // A killed client's backend rolls back when it notices: wait until no other session is at work.
        await Wait.UntilAsync(async () => await PostgresFixture.ScalarAsync<long>(database,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'") == 0,
            "the killed import's session to roll back", TimeSpan.FromSeconds(30));
        Assert.Equal(snapshot, await PostgresFixture.SnapshotAsync(database));
        Assert.False(await PostgresFixture.ScalarAsync<bool>(database, "SELECT to_regnamespace('reviews_import') IS NOT NULL"));
        Assert.Equal(9, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews"));
    }

    /// <summary>Starts `reviews import --replace` as a process of its own; returns once it prints <paramref name="waitFor"/>.</summary>
    static async Task<(Process Process, StringWriter Output)> StartImport(string database, string waitFor)
    {
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // SIGINT back to its default, in case this test process inherited it ignored (a background job).
        foreach (var arg in (string[])["--default-signal=INT", Path.Combine(AppContext.BaseDirectory, "reviews"), "import", LargeSet.Value,
            "--replace", "--rejects", TempFiles.Path("rejects") + ".csv"])
            start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Reviews"] = database; // a password never goes on a command line
        var process = Process.Start(start)!;
        var output = new StringWriter();
        var seen = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
                output.WriteLine(e.Data);
            if (e.Data?.Contains(waitFor) == true)
                seen.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
                output.WriteLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var first = await Task.WhenAny(seen.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(first == seen.Task, $"the import never printed \"{waitFor}\":\n{output}");
        return (process, output);
    }

    [Fact]
    public async Task Ctrl_c_stops_the_import_with_exit_130_and_the_old_data_still_serving()
    {
        var (database, snapshot) = await LiveData();
        var (process, output) = await StartImport(database, "load characteristics.csv");

        Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}:\n{output}");
        Assert.Contains("Cancelled", output.ToString());
        await AssertUnchanged(database, snapshot);
    }

    [Fact]
    public async Task A_killed_import_leaves_the_old_data_serving_and_nothing_half_loaded()
    {
        var (database, snapshot) = await LiveData();
        var (process, _) = await StartImport(database, "load characteristic_reviews.csv");

        process.Kill(); // SIGKILL: no chance to clean up
        await process.WaitForExitAsync();

        await AssertUnchanged(database, snapshot);
    }

    [SkippableFact]
    public async Task A_full_disk_fails_the_import_with_exit_1_and_the_old_data_still_serving()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root, to mount a small filesystem for a tablespace");
        // A cluster of its own: a full disk may take its server down, and no other test must share that.
        var folder = TempFiles.Path("full-disk");
        var cluster = new LocalPostgres(folder, TextWriter.Null);
        var disk = Directory.CreateDirectory(Path.Combine(folder, "tiny-disk")).FullName;
        try
        {
            var database = await cluster.StartAsync(CancellationToken.None);
            var (import, _) = await CommandLine.ImportAsync(PostgresFixture.DataPath("contract"), database);
            Assert.Equal(0, import.ExitCode);
            var snapshot = await PostgresFixture.SnapshotAsync(database);

            using (var mount = Process.Start("mount", ["-t", "tmpfs", "-o", "size=3M", "tmpfs", disk])!)
            {
                await mount.WaitForExitAsync();
                Assert.Equal(0, mount.ExitCode);
            }
            Process.Start("chown", ["postgres:postgres", disk])!.WaitForExit();
            await PostgresFixture.ExecuteAsync(database, $"CREATE TABLESPACE tiny LOCATION '{disk}'");
            // The import's new tables go to the 3 MB disk; the live ones stay where they are.
            var onTinyDisk = $"{database};Options=-c default_tablespace=tiny";

            var (result, _) = await CommandLine.ImportAsync(LargeSet.Value, onTinyDisk, "--replace");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("No space left on device", result.Error);
            await AssertUnchanged(database, snapshot);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await cluster.StopAsync();
            Process.Start("umount", [disk])!.WaitForExit();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task During_a_replace_the_api_answers_from_the_old_data_until_the_new_is_swapped_in_whole()
    {
        var (database, _) = await LiveData();
        await using var api = await ApiServer.StartAsync(database);
        string[] urls = ["/reviews/meta?product_id=1", "/reviews?product_id=1&count=100"];
        var before = await Task.WhenAll(urls.Select(u => api.Client.GetStringAsync(u)));

        var progress = new ImportProgress();
        var import = Task.Run(() => new CsvImporter(database, progress).RunAsync(
            new ImportOptions(LargeSet.Value, TempFiles.Path("rejects") + ".csv", Replace: true), CancellationToken.None));

        var answers = urls.Select(_ => new List<string>()).ToArray();
        var oldWhileLoading = 0;
        while (!import.IsCompleted)
        {
            for (var i = 0; i < urls.Length; i++)
            {
                var response = await api.Client.GetAsync(urls[i]);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var answer = await response.Content.ReadAsStringAsync();
                answers[i].Add(answer);
                if (answer == before[i] && progress.Steps().Any(s => s.Name.StartsWith("load ", StringComparison.Ordinal)))
                    oldWhileLoading++;
            }
        }
        await import;

        // The swap's notice reaches the API's cache within milliseconds of the commit.
        var after = await Task.WhenAll(urls.Select(u => api.Client.GetStringAsync(u)));
        for (var wait = 0; wait < 50 && after.SequenceEqual(before); wait++)
        {
            await Task.Delay(100);
            after = await Task.WhenAll(urls.Select(u => api.Client.GetStringAsync(u)));
        }
        Assert.True(oldWhileLoading > 0, "the API answered from the old data while the new was loading");
        for (var i = 0; i < urls.Length; i++)
        {
            Assert.NotEqual(before[i], after[i]);
            // Every answer was the old data or the new, never a half-loaded state.
            Assert.All(answers[i], a => Assert.True(a == before[i] || a == after[i], a[..Math.Min(200, a.Length)]));
        }
    }
}
