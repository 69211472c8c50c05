using Reviews.Configuration;

namespace Reviews.Telemetry;

/// <summary>What the service tells about itself; bound from <see cref="Section"/>. Export goes where the standard
/// OTEL_* environment variables say (OTEL_EXPORTER_OTLP_ENDPOINT, …); with none, nothing leaves the process.</summary>
public sealed class TelemetryOptions : ISettingsSection
{
    public static string Section => "Reviews:Telemetry";

    /// <summary>Metrics kept in the process and served at /metrics (Prometheus' text format), and sent by OTLP when configured.</summary>
    [Setting("Collect metrics and serve them at `/metrics` (Prometheus; docs/observability.md); also sent by OTLP when configured.")]
    public bool Metrics { get; set; } = true;

    /// <summary>Traces of requests and their SQL; on by themselves when an OTLP endpoint is configured.</summary>
    [Setting("Trace each request and its SQL.", Default = "false; true when OTLP is configured")]
    public bool Traces { get; set; }
}
