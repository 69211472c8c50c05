using Reviews.Configuration;

namespace Reviews.Telemetry;

/// <summary>What the service tells about itself; bound from <see cref="Section"/>. Export goes where the standard
/// OTEL_* environment variables say (OTEL_EXPORTER_OTLP_ENDPOINT, …); with none, nothing leaves the process.</summary>
public sealed class TelemetryOptions : ISettingsSection
{
    public static string Section => "Reviews:Telemetry";

    [Setting("Collect metrics and serve them at `/metrics` (Prometheus; docs/observability.md); also sent by OTLP when configured.")]
    public bool Metrics { get; set; } = true;

    [Setting("Trace each request and its SQL.", Default = "false; true when OTLP is configured")]
    public bool Traces { get; set; }
}
