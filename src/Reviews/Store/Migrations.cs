using System.Reflection;
using Npgsql;

namespace Reviews.Store;

/// <summary>
/// Versioned schema migrations: the SQL files under Store/Migrations (the reviews schema, which an import replaces
/// whole) and Store/StaffMigrations (the staff schema, which outlives imports), applied in name order, each once,
/// each in its own transaction. Each schema's migration table records what has been applied.
/// </summary>
public static class Migrations
{
    /// <summary>The reviews schema's migrations.</summary>
    public static IReadOnlyList<(string Name, string Sql)> All { get; } = Load("migrations/");

    /// <summary>The staff schema's migrations.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Staff { get; } = Load("staff-migrations/");

    /// <summary>Both schemas' missing migrations; returns how many were applied.</summary>
    public static async Task<int> ApplyAllAsync(NpgsqlConnection connection, CancellationToken ct = default) =>
        await ApplyAsync(connection, Database.Schema, ct) + await ApplyAsync(connection, Database.StaffSchema, ct, migrations: Staff);

    /// <summary>
    /// Applies the missing migrations to <paramref name="schema"/>; returns how many it applied. Each runs in
    /// its own transaction, or all in <paramref name="outer"/> when the caller has one open.
    /// </summary>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, string schema, CancellationToken ct = default,
        NpgsqlTransaction? outer = null, IReadOnlyList<(string Name, string Sql)>? migrations = null)
    {
        var quoted = Quote(schema);
        await Execute(connection, $"""
            CREATE SCHEMA IF NOT EXISTS {quoted};
            CREATE TABLE IF NOT EXISTS {quoted}.schema_migrations (
                name       text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, ct);

        var applied = 0;
        foreach (var (name, sql) in migrations ?? All)
        {
            await using var tx = outer is null ? await connection.BeginTransactionAsync(ct) : null;
            // Serializes concurrent migrators (two instances starting at once) on this schema.
            await Execute(connection, $"LOCK TABLE {quoted}.schema_migrations IN EXCLUSIVE MODE", ct);
            await using (var check = new NpgsqlCommand($"SELECT 1 FROM {quoted}.schema_migrations WHERE name = $1", connection))
            {
                check.Parameters.Add(new() { Value = name });
                if (await check.ExecuteScalarAsync(ct) is not null)
                    continue;
            }
            await Execute(connection, $"SET LOCAL search_path TO {quoted}, public; {sql}", ct);
            await using (var record = new NpgsqlCommand($"INSERT INTO {quoted}.schema_migrations (name) VALUES ($1)", connection))
            {
                record.Parameters.Add(new() { Value = name });
                await record.ExecuteNonQueryAsync(ct);
            }
            if (tx is not null)
                await tx.CommitAsync(ct);
            applied++;
        }
        return applied;
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    static List<(string, string)> Load(string prefix)
    {
        var assembly = Assembly.GetExecutingAssembly();
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (n[prefix.Length..^".sql".Length], reader.ReadToEnd());
            })];
    }
}
