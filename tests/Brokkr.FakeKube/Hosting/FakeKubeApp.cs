using Brokkr.FakeKube.Admin;
using Brokkr.FakeKube.Api;
using Brokkr.FakeKube.Discovery;

namespace Brokkr.FakeKube.Hosting;

/// <summary>Builds the Kestrel app: HTTP/1.1 on loopback, as kubectl speaks to a plain-HTTP server.</summary>
internal static class FakeKubeApp
{
    public static WebApplication Build(FakeKubeState state, int port, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));

        var app = builder.Build();
        ApiMiddleware.Use(app, state);
        app.UseRouting();
        DiscoveryEndpoints.Map(app, state);
        AdminEndpoints.Map(app, state);
        app.Map("/api/{**rest}", (HttpContext c) => ResourceEndpoint.HandleAsync(c, state));
        app.Map("/apis/{**rest}", (HttpContext c) => ResourceEndpoint.HandleAsync(c, state));
        app.MapFallback((HttpContext c) => Respond.Failure(c, ApiException.UnknownResource()));
        return app;
    }
}
