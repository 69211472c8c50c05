using System.Diagnostics;
using Npgsql;
using Reviews.Cli;
using Reviews.Importer;

namespace Reviews.Tests.Infrastructure;

/// <summary>
/// A primary and a hot standby streaming from it (pg_basebackup -R), private clusters in temporary folders, for the
/// tests of reads from standbys. The standby's replay can be held back (recovery_min_apply_delay) or stopped.
/// </summary>
public sealed class ReplicatedPostgres : IAsyncLifetime
{
    readonly string folder = TempFiles.Path("repl"); // short: a socket path has at most 107 bytes
    LocalPostgres primary = null!;
    string standbyData = "";
    int standbyPort;
    string password = "";

    /// <summary>The contract data set, on the primary (so on the standby too).</summary>
    public string PrimaryConnectionString { get; private set; } = "";

    public string StandbyConnectionString => new NpgsqlConnectionStringBuilder(PrimaryConnectionString) { Port = standbyPort }.ConnectionString;

    /// <summary>Both servers, the primary first, for Npgsql's multi-host support.</summary>
    public string BothConnectionString => new NpgsqlConnectionStringBuilder(PrimaryConnectionString)
    { Host = $"127.0.0.1:{primary.Port},127.0.0.1:{standbyPort}" }.ConnectionString;

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch (Exception e)
        {
            // What the servers said, since their folder goes with the fixture.
            var logs = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.log", SearchOption.AllDirectories) : [];
            throw new InvalidOperationException(e.Message + string.Concat(logs.Select(l => $"\n--- {l}\n{File.ReadAllText(l)}")), e);
        }
    }

    async Task StartAsync()
    {
        primary = new LocalPostgres(Path.Combine(folder, "p"), TextWriter.Null, durable: false);
        await primary.StartAsync(CancellationToken.None);
        await File.AppendAllTextAsync(Path.Combine(primary.DataDirectory, "postgresql.conf"), "wal_level = replica\nmax_wal_senders = 4\n");
        await PgCtl(primary.DataDirectory, "restart");
        password = new NpgsqlConnectionStringBuilder(primary.ConnectionString()).Password!;

        standbyData = Path.Combine(folder, "s");
        Directory.CreateDirectory(standbyData);
        if (Environment.IsPrivilegedProcess)
            await Run("chown", "postgres:postgres", folder, standbyData);
        await Run("chmod", "700", standbyData);
        await AsPostgres("pg_basebackup", "-h", "127.0.0.1", "-p", primary.Port.ToString(), "-U", "postgres", "-D", standbyData, "-R", "-X", "stream");
        using (var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            socket.Start();
            standbyPort = ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
        }
        await File.AppendAllTextAsync(Path.Combine(standbyData, "postgresql.conf"),
            $"port = {standbyPort}\nunix_socket_directories = '{standbyData}'\nhot_standby = on\n");
        await PgCtl(standbyData, "start");

        PrimaryConnectionString = primary.ConnectionString();
        var result = await new CsvImporter(PrimaryConnectionString).RunAsync(
            new ImportOptions(PostgresFixture.DataPath("contract"), TempFiles.Path("rejects") + ".csv"), CancellationToken.None);
        if (result.Rejected != 0)
            throw new InvalidOperationException("The contract data set must load without rejects.");
        await CaughtUpAsync();
    }

    /// <summary>Holds back the standby's replay of each commit by <paramref name="delay"/> (zero: none).</summary>
    public async Task DelayReplayAsync(TimeSpan delay)
    {
        await File.AppendAllTextAsync(Path.Combine(standbyData, "postgresql.conf"), $"recovery_min_apply_delay = {(int)delay.TotalMilliseconds}\n");
        await PgCtl(standbyData, "reload");
        await Wait.UntilAsync(async () => await PostgresFixture.ScalarAsync<string>(StandbyConnectionString,
            "SELECT setting FROM pg_settings WHERE name = 'recovery_min_apply_delay'") == ((int)delay.TotalMilliseconds).ToString(),
            "the standby to take the new replay delay", TimeSpan.FromSeconds(5));
    }

    /// <summary>Waits until the standby has replayed everything the primary has written so far.</summary>
    public async Task CaughtUpAsync()
    {
        var target = await PostgresFixture.ScalarAsync<NpgsqlTypes.NpgsqlLogSequenceNumber>(PrimaryConnectionString, "SELECT pg_current_wal_insert_lsn()");
        await Wait.UntilAsync(async () => await PostgresFixture.ScalarAsync<NpgsqlTypes.NpgsqlLogSequenceNumber>(StandbyConnectionString,
            "SELECT pg_last_wal_replay_lsn()") >= target, "the standby to catch up", TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (standbyData.Length > 0 && File.Exists(Path.Combine(standbyData, "postmaster.pid")))
                await PgCtl(standbyData, "stop", "-m", "immediate");
        }
        finally
        {
            // Also after a start that failed half-way: nothing of the fixture stays behind.
            await primary.StopAsync();
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    Task PgCtl(string data, string action, params string[] more) =>
        AsPostgres("pg_ctl", ["-D", data, "-l", data + ".log", "-w", action, .. more]); // (the log outside: a base backup copies the folder)

    Task AsPostgres(string program, params string[] args) =>
        Environment.IsPrivilegedProcess
            ? Run("runuser", ["-u", "postgres", "--", Path.Combine(LocalPostgres.FindBinaries()!, program), .. args])
            : Run(Path.Combine(LocalPostgres.FindBinaries()!, program), args);

    async Task Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["PGPASSWORD"] = password; // (pg_basebackup's; never on its command line)
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)}: {await output}{await errors}");
    }
}
