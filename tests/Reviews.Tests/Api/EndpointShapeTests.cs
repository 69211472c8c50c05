using System.Reflection;
using Microsoft.AspNetCore.Routing;

namespace Reviews.Tests.Api;

/// <summary>
/// A handler parses, calls one service and maps its answer (README, "Layout"): one that needs more than four parameters
/// is doing a service's work. Every endpoint the service maps is looked at, the staff's and the webhooks' included.
/// </summary>
public sealed class EndpointShapeTests(SharedSeededApi shared) : SharedSeededApiTest(shared)
{
    [Fact]
    public void Every_handler_takes_at_most_four_parameters()
    {
        var handlers = Api.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(endpoint => (Route: endpoint.DisplayName, Method: endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault()))
            .Where(handler => handler.Method?.DeclaringType?.Namespace?.StartsWith("Reviews", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(handlers.Count >= 15, $"only {handlers.Count} handlers found");
        Assert.Empty(handlers.Where(handler => handler.Method!.GetParameters().Length > 4)
            .Select(handler => $"{handler.Route}: {handler.Method!.Name}({handler.Method.GetParameters().Length} parameters)"));
    }
}
