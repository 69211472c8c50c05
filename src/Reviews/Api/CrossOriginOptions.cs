namespace Reviews.Api;

/// <summary>
/// Which web pages on other origins may call the API from a browser (CORS), bound from <see cref="Section"/>.
/// None by default: the product page is served from the API's own origin.
/// </summary>
public sealed class CrossOriginOptions
{
    public const string Section = "Reviews:Cors";

    /// <summary>Origins such as https://shop.example (scheme, host and port; no path).</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
