using System.Security.Cryptography;
using Reviews.Staff;

namespace Reviews.Cli;

/// <summary>
/// The private stack's staff keys (`up`): a signing key for `reviews token` and a hash key for privacy erasures, made
/// once under the data folder (owner-only files) unless the configuration brings its own.
/// </summary>
static class StaffKeys
{
    public static readonly string SigningKey = $"{AuthOptions.Section}:{nameof(AuthOptions.SigningKey)}";
    public static readonly string HashKey = $"{PrivacyOptions.Section}:{nameof(PrivacyOptions.HashKey)}";

    static string PathOf(string dataDirectory, string key) => Path.Combine(dataDirectory, "staff", key.Replace(":", "__"));

    /// <summary>The keys the configuration lacks, made if they are not there yet, as settings.</summary>
    public static Dictionary<string, string?> Ensure(IConfiguration configuration, string dataDirectory)
    {
        var settings = new Dictionary<string, string?>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{AuthOptions.Section}:{nameof(AuthOptions.Authority)}"]))
            return settings;
        foreach (var key in (string[])[SigningKey, HashKey])
        {
            if (!string.IsNullOrWhiteSpace(configuration[key]))
                continue;
            var path = PathOf(dataDirectory, key);
            if (!File.Exists(path))
            {
                // In an owner-only folder, so the key is never readable by others, not even for a moment.
                var folder = Path.GetDirectoryName(path)!;
                if (OperatingSystem.IsWindows())
                    Directory.CreateDirectory(folder);
                else
                    Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            settings[key] = File.ReadAllText(path).Trim();
        }
        return settings;
    }

    /// <summary>The signing key: configured, else the one `up` made; null when there is neither.</summary>
    public static string? FindSigningKey(IConfiguration configuration, string dataDirectory) =>
        configuration[SigningKey] is { Length: > 0 } configured ? configured
        : File.Exists(PathOf(dataDirectory, SigningKey)) ? File.ReadAllText(PathOf(dataDirectory, SigningKey)).Trim()
        : null;
}
