namespace Reviews.Telemetry;

/// <summary>What the service tells about itself; bound from <see cref="Section"/>. Export goes where the standard
/// OTEL_* environment variables say (OTEL_EXPORTER_OTLP_ENDPOINT, …); with none, nothing leaves the process.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Reviews:Telemetry";

    /// <summary>Metrics kept in the process and served at /metrics (Prometheus' text format), and sent by OTLP when configured.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Traces of requests and their SQL; on by themselves when an OTLP endpoint is configured.</summary>
    public bool Traces { get; set; }
}
