using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Reviews.Importer;

namespace Reviews.Telemetry;

/// <summary>
/// An import's progress as metrics (meter "Reviews.Import"): per file, rows and bytes read so far and rows per second.
/// An import is a job that ends, which Prometheus cannot scrape: with the standard OTEL_EXPORTER_OTLP_* settings it
/// pushes them over OTLP (every OTEL_METRIC_EXPORT_INTERVAL, and once more when disposed, at the end).
/// </summary>
public sealed class ImportMetrics : IDisposable
{
    public const string MeterName = "Reviews.Import";

    readonly Meter meter = new(MeterName);
    readonly MeterProvider? exporter;

    public ImportMetrics(ImportProgress progress, IConfiguration configuration)
    {
        meter.CreateObservableCounter("reviews.import.rows", () => PerFile(progress, step => step.Rows), "{row}", "Rows read, per file");
        meter.CreateObservableCounter("reviews.import.bytes", () => PerFile(progress, step => step.Bytes), "By", "Bytes read, per file");
        meter.CreateObservableGauge("reviews.import.rate", () => PerFile(progress, step => step.Rows / Math.Max(step.Elapsed.TotalSeconds, 0.001)),
            "{row}/s", "Rows per second, per file, over the file's load so far");
        if (TelemetryExtensions.OtlpConfigured(configuration))
            exporter = Sdk.CreateMeterProviderBuilder()
                .ConfigureServices(services => services.AddSingleton(configuration)) // OTEL_* from the CLI's settings
                .ConfigureResource(resource => resource.AddService("reviews-import", serviceInstanceId: Environment.MachineName))
                .AddMeter(MeterName)
                .AddOtlpExporter()
                .Build();
    }

    // The steps that read a file are named "load FILE".
    static IEnumerable<Measurement<T>> PerFile<T>(ImportProgress progress, Func<ProgressStep, T> value) where T : struct =>
        progress.Steps().Where(step => step.TotalBytes > 0)
            .Select(step => new Measurement<T>(value(step), new KeyValuePair<string, object?>("file", step.Name.Replace("load ", ""))));

    /// <summary>Exports the final figures (when exporting), then stops measuring.</summary>
    public void Dispose()
    {
        exporter?.Dispose();
        meter.Dispose();
    }
}
