using Reviews.Configuration;

namespace Reviews.Hosting;

/// <summary>
/// Which web pages on other origins may call the API from a browser (CORS), bound from <see cref="Section"/>.
/// None by default: the product page is served from the API's own origin.
/// </summary>
public sealed class CrossOriginOptions : ISettingsSection
{
    public static string Section => "Reviews:Cors";

    [Setting("Origins whose pages may call the API from a browser: scheme, host and port, no path (`https://shop.example`; one an index: …:0, …:1).",
        Default = "none (CORS off)")]
    public string[] AllowedOrigins { get; set; } = [];
}
