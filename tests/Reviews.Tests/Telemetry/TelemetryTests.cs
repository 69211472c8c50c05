using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Reviews.Cache;

namespace Reviews.Tests.Telemetry;

public sealed class TelemetryTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task Metrics_show_requests_the_cache_writes_npgsql_the_runtime_and_the_process_after_traffic()
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync());
        // Answers are kept once the instance listens for changes (subscribing clears the cache).
        for (var i = 0; i < 100 && api.Service<CacheInvalidation>().Subscriptions == 0; i++)
            await Task.Delay(50);
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
        for (var i = 0; i < 100 && request is null; i++)
        {
            lock (spans)
                request = spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("POST"));
            await Task.Delay(50);
        }
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
        // A receiver on the loopback, standing in for a collector: it keeps what it is sent.
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string? Type, string Body)>();
        var receiver = WebApplication.CreateSlimBuilder();
        receiver.Configuration["urls"] = "http://127.0.0.1:0";
        await using var collector = receiver.Build();
        collector.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue((request.ContentType, System.Text.Encoding.UTF8.GetString(body.ToArray())));
            return Results.Ok();
        });
        await collector.StartAsync();
        var endpoint = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using (var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"), ("OTEL_BSP_SCHEDULE_DELAY", "100")))
        {
            await api.Client.GetStringAsync("/reviews/meta?product_id=2");
            // Other spans (the cache listener's SQL) may come in an earlier batch: wait for the request's.
            (string? Type, string Body) request = default;
            for (var i = 0; i < 200 && request.Body is null; i++)
            {
                request = received.FirstOrDefault(r => r.Body.Contains("/reviews/meta"));
                await Task.Delay(100);
            }
            Assert.NotNull(request.Body);
            Assert.Equal("application/x-protobuf", request.Type);
            Assert.Contains("reviews", request.Body); // service.name
        }
    }
}
