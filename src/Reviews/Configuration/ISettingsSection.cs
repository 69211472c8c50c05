namespace Reviews.Configuration;

/// <summary>
/// An options class bound from one configuration section. Each one is listed once, in Hosting/ServiceSettings.cs:
/// the service binds and validates it from there, and `reviews --help` and the README's table describe it from there.
/// </summary>
public interface ISettingsSection
{
    /// <summary>The configuration section, e.g. "Reviews:Cache".</summary>
    static abstract string Section { get; }
}
