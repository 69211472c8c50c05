using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Reviews.Cli;

/// <summary>
/// A private PostgreSQL cluster in a folder of its own, made with the machine's initdb and pg_ctl and
/// listening on 127.0.0.1 only. PostgreSQL refuses to run as root, so as root the cluster belongs to the
/// unprivileged `postgres` user and every command runs through runuser. A throwaway cluster
/// (<paramref name="durable"/> false: the tests') skips every flush to disk: a crash can only lose what nobody keeps.
/// </summary>
public sealed class LocalPostgres(string directory, TextWriter log, bool durable = true)
{
    public const string DatabaseName = "reviews";

    public string DataDirectory { get; } = Path.Combine(ReachableFolder(Path.GetFullPath(directory)), "postgres");
    string LogFile => Path.Combine(Path.GetDirectoryName(DataDirectory)!, "postgres.log");

    // The superuser's password, made at random when the cluster is: readable by its owner only (and root).
    string PasswordFile => Path.Combine(Path.GetDirectoryName(DataDirectory)!, "postgres.password");

    /// <summary>True when this object started the server (and so should stop it).</summary>
    public bool StartedHere { get; private set; }

    public int Port => int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postgresql.conf"))
        .Last(l => l.StartsWith("port = ", StringComparison.Ordinal))["port = ".Length..]);

    public string ConnectionString(string database = DatabaseName) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        // A cluster made before passwords (trust on loopback) has no file, and needs none.
        Password = File.Exists(PasswordFile) ? File.ReadAllText(PasswordFile).Trim() : null,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates the cluster the first time, starts it unless it runs already; returns its connection string.</summary>
    public async Task<string> StartAsync(CancellationToken ct)
    {
        var bin = FindBinaries() ?? await InstallAsync(ct);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            await InitAsync(bin, ct);
        if ((await RunAsync(bin, "pg_ctl", ["-D", DataDirectory, "status"], ct)).Code != 0)
        {
            log.WriteLine($"Starting PostgreSQL in {DataDirectory} on 127.0.0.1:{Port} (log: {LogFile})");
            var (code, output) = await RunAsync(bin, "pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "120", "start"], ct);
            if (code != 0)
                throw new CliException($"PostgreSQL did not start ({output}); see {LogFile}.");
            StartedHere = true;
        }
        await CreateDatabaseAsync(ct);
        return ConnectionString();
    }

    public async Task StopAsync()
    {
        if (!StartedHere || FindBinaries() is not { } bin)
            return;
        await RunAsync(bin, "pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None);
        StartedHere = false;
    }

    async Task InitAsync(string bin, CancellationToken ct)
    {
        log.WriteLine($"Creating a private PostgreSQL cluster in {DataDirectory}");
        Directory.CreateDirectory(DataDirectory);
        // No trust: over TCP every connection needs the password (scram-sha-256), so no other local account can log
        // in as the superuser (and run programs through COPY … PROGRAM); over the socket only the postgres user, by peer.
        File.WriteAllText(PasswordFile, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (Environment.IsPrivilegedProcess)
            await MustRun("chown", ["-R", "postgres:postgres", Path.GetDirectoryName(DataDirectory)!], ct);
        var (code, output) = await RunAsync(bin, "initdb",
            ["-D", DataDirectory, "-U", "postgres", "--auth-host=scram-sha-256", "--auth-local=peer", $"--pwfile={PasswordFile}",
             "--encoding=UTF8", "--locale=C", .. durable ? Array.Empty<string>() : ["--no-sync"]], ct);
        if (code != 0)
            throw new CliException($"initdb failed for {DataDirectory}: {output}" +
                (Environment.IsPrivilegedProcess ? " (the postgres user must be able to reach that folder)" : ""));
        // Loopback only, socket in the data folder, and settings for bulk loads on a dev box.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), $"""

            # reviews: private cluster
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{DataDirectory}'
            max_connections = 200
            shared_buffers = 1GB
            maintenance_work_mem = 1GB
            max_wal_size = 8GB
            wal_level = minimal
            max_wal_senders = 0
            port = {FreePort()}
            {(durable ? "" : "fsync = off\nsynchronous_commit = off\nfull_page_writes = off")}

            """, ct);
    }

    async Task CreateDatabaseAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{DatabaseName}'", connection);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// The folder itself, unless this process is root and the postgres user cannot pass through one of its
    /// parents (a checkout under /root, say): then a folder of its own under /var/tmp, named after it.
    /// </summary>
    static string ReachableFolder(string folder)
    {
        if (!Environment.IsPrivilegedProcess)
            return folder;
        for (var dir = new DirectoryInfo(folder).Parent; dir is not null; dir = dir.Parent)
        {
            if (dir.Exists && !dir.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
            {
                var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(folder)))[..12];
                return Path.Combine("/var/tmp", $"reviews-{hash.ToLowerInvariant()}");
            }
        }
        return folder;
    }

    static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>The newest PostgreSQL server binaries on the machine (Debian's layout first, then PATH).</summary>
    public static string? FindBinaries()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return debian ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(d => d.Length > 0 && File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")));
    }

    async Task<string> InstallAsync(CancellationToken ct)
    {
        if (!File.Exists("/usr/bin/apt-get") || !Environment.IsPrivilegedProcess)
            throw new CliException("PostgreSQL's server (initdb, pg_ctl) is not installed. Install it (Debian: apt-get install postgresql), " +
                "or point the service at a database with --database or ConnectionStrings__Reviews.");
        log.WriteLine("PostgreSQL is not installed: installing Debian's postgresql package…");
        await MustRun("apt-get", ["update", "-q"], ct);
        await MustRun("apt-get", ["install", "-y", "-q", "postgresql"], ct);
        return FindBinaries() ?? throw new CliException("apt-get installed postgresql, but no pg_ctl was found under /usr/lib/postgresql.");
    }

    static async Task MustRun(string program, string[] args, CancellationToken ct)
    {
        if ((await Run(program, args, ct, capture: false)).Code != 0)
            throw new CliException($"{program} {string.Join(' ', args)} failed.");
    }

    /// <summary>Runs a PostgreSQL program, as the postgres user when this process is root; returns its exit code and output.</summary>
    static Task<(int Code, string Output)> RunAsync(string bin, string program, string[] args, CancellationToken ct) =>
        Environment.IsPrivilegedProcess
            ? Run("runuser", ["-u", "postgres", "--", Path.Combine(bin, program), .. args], ct, capture: true)
            : Run(Path.Combine(bin, program), args, ct, capture: true);

    static async Task<(int Code, string Output)> Run(string program, string[] args, CancellationToken ct, bool capture)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = capture, RedirectStandardError = capture };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new CliException($"Could not run {program}.");
        var output = capture ? process.StandardOutput.ReadToEndAsync(ct) : Task.FromResult("");
        var errors = capture ? process.StandardError.ReadToEndAsync(ct) : Task.FromResult("");
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, (await output + await errors).Trim());
    }
}
