namespace Reviews.Configuration;

/// <summary>
/// Settings from files, one a setting, named like the environment variable (ConnectionStrings__Reviews) and holding
/// its value: how container platforms hand over secrets (compose and Docker secrets, Kubernetes volumes), so that a
/// password is never on a command line or in the environment. The folder is Reviews:SecretsDirectory, by default
/// /run/secrets; a folder that is not there is no error.
/// </summary>
public static class SecretFiles
{
    public const string DirectoryKey = "Reviews:SecretsDirectory";
    public const string DefaultDirectory = "/run/secrets";

    public static IConfigurationBuilder AddSecretFiles(this IConfigurationManager configuration)
    {
        var directory = configuration[DirectoryKey] is { Length: > 0 } given ? given : DefaultDirectory;
        return configuration.AddKeyPerFile(Path.GetFullPath(directory), optional: true);
    }
}
