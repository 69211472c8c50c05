using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;
using Reviews.Importer;
using Reviews.Telemetry;

namespace Reviews.Tests.Telemetry;

public sealed class TelemetryTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task Metrics_show_requests_the_cache_writes_npgsql_the_runtime_and_the_process_after_traffic()
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync());
        // Answers are kept once the instance listens for changes (subscribing clears the cache).
        await api.SubscribedAsync();
        await api.Client.GetStringAsync("/reviews?product_id=2");
        await api.Client.GetStringAsync("/reviews?product_id=2");
        Assert.Equal(HttpStatusCode.NoContent, (await api.Client.PutAsync("/reviews/8/helpful", null)).StatusCode);

        var response = await api.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var metrics = await response.Content.ReadAsStringAsync();
        Assert.Contains("http_server_request_duration_seconds_bucket{", metrics);
        Assert.Contains("http_route=\"/reviews/\"", metrics);
        Assert.Matches("reviews_cache_hits_total(\\{[^}]*\\})? [1-9]", metrics);
        Assert.Matches("reviews_cache_misses_total(\\{[^}]*\\})? [1-9]", metrics);
        Assert.Matches("reviews_writes_total\\{[^}]*kind=\"helpful\"[^}]*\\} 1", metrics);
        Assert.Contains("db_client_operation_duration_seconds", metrics);
        Assert.Contains("dotnet_gc_collections_total", metrics);
        Assert.Contains("process_cpu_time_seconds_total", metrics);
        Assert.Matches("reviews_db_connection_wait_time_seconds_count(\\{[^}]*\\})? [1-9]", metrics);
    }

    [Fact]
    public async Task A_POSTs_trace_holds_its_http_span_its_sql_spans_and_the_request_id()
    {
        var spans = new List<Activity>();
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(),
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)),
            ("Reviews:Telemetry:Traces", "true"));
        var post = new HttpRequestMessage(HttpMethod.Post, "/reviews") { Content = JsonContent.Create(Api.WriteTests.ValidReview()) };
        post.Headers.Add("X-Request-Id", "rid-3f2a9c");
        Assert.Equal(HttpStatusCode.Created, (await api.Client.SendAsync(post)).StatusCode);

        Activity? request = null;
        await Wait.UntilAsync(() =>
        {
            lock (spans)
                request = spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("POST"));
            return request is not null;
        }, "the POST's server span");
        Assert.NotNull(request);
        Assert.Equal("rid-3f2a9c", request.GetTagItem("http.request.header.x_request_id"));
        List<Activity> sql;
        lock (spans)
            sql = spans.Where(s => s.Source.Name == "Npgsql" && s.TraceId == request.TraceId).ToList();
        Assert.NotEmpty(sql);
        Assert.Contains(sql, s => s.GetTagItem("db.query.text") is string text && text.Contains("INSERT INTO reviews"));
        Assert.All(sql, s => Assert.Equal(request.SpanId, s.ParentSpanId));
    }

    [Fact]
    public async Task The_otlp_exporter_delivers_traces_over_http_protobuf_to_v1_traces()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"), ("OTEL_BSP_SCHEDULE_DELAY", "100"));
        await api.Client.GetStringAsync("/reviews/meta?product_id=2");

        // Other spans (the cache listener's SQL) may come in an earlier batch: wait for the request's.
        var export = await receiver.WaitForAsync("/v1/traces", body => body.Contains("/reviews/meta"));
        Assert.NotNull(export);
        Assert.Equal("application/x-protobuf", export.ContentType);
        Assert.Contains("reviews", export.Body); // service.name
    }

    [Fact]
    public async Task An_import_measures_rows_per_second_per_file_and_pushes_its_final_figures_over_otlp()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }).Build();
        var measured = new ConcurrentQueue<(string Instrument, string? File, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ImportMetrics.MeterName)
                l.EnableMeasurementEvents(instrument);
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? _) where T : struct =>
            measured.Enqueue((instrument.Name, tags.ToArray().FirstOrDefault(t => t.Key == "file").Value as string, Convert.ToDouble(value)));
        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<double>(Record);
        listener.Start();

        var progress = new ImportProgress();
        ImportResult result;
        using (new ImportMetrics(progress, configuration))
        {
            result = await new CsvImporter(await NewEmptyDatabaseAsync(), progress).RunAsync(
                new ImportOptions(PostgresFixture.DataPath("sample"), TempFiles.Path("rejects") + ".csv"), CancellationToken.None);
            listener.RecordObservableInstruments();
        } // disposed: the final figures are pushed

        Assert.Equal(4, result.Files.Count);
        foreach (var (file, counts) in result.Files)
        {
            // (Other tests' imports may be measured too: ours are among them, with exactly its counts.)
            Assert.Contains(measured, m => m.Instrument == "reviews.import.rows" && m.File == file && m.Value == counts.Read);
            Assert.Contains(measured, m => m.Instrument == "reviews.import.bytes" && m.File == file && m.Value == new FileInfo(PostgresFixture.DataPath("sample", file)).Length);
            Assert.Contains(measured, m => m.Instrument == "reviews.import.rate" && m.File == file && m.Value > 0);
        }
        var export = await receiver.WaitForAsync("/v1/metrics", body => body.Contains("reviews.import.rate"));
        Assert.NotNull(export);
        Assert.Contains("characteristic_reviews.csv", export.Body);
        Assert.Contains("reviews-import", export.Body); // service.name
    }
}
