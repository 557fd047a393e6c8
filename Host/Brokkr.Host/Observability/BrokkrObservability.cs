using Brokkr.Shared.Configuration;
using Npgsql;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Brokkr.Host.Observability;

internal static class BrokkrObservability
{
    /// <param name="logToStandardError">For host commands, whose standard output is their result.</param>
    public static void AddBrokkrObservability(this WebApplicationBuilder builder, bool logToStandardError = false)
    {
        var settings = BrokkrSettings.From(builder.Configuration);
        // The one switch of this host's logger: a configuration reload moves it (ConfigReloader).
        var level = new LoggingLevelSwitch(ParseLevel(settings.Log.Level));
        builder.Services.AddSingleton(level);
        builder.Services.AddSerilog((_, logger) =>
        {
            logger.MinimumLevel.ControlledBy(level)
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Hosting", LogEventLevel.Information)
                .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
                .Enrich.FromLogContext();
            LogEventLevel? standardErrorFrom = logToStandardError ? LogEventLevel.Verbose : null;
            if (settings.Log.Format.Equals("text", StringComparison.OrdinalIgnoreCase))
            {
                logger.WriteTo.Console(
                    outputTemplate: "{Timestamp:O} {Level:u3} {SourceContext} {Message:lj} {TraceId}{NewLine}{Exception}",
                    standardErrorFromLevel: standardErrorFrom);
            }
            else
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter(), standardErrorFromLevel: standardErrorFrom);
            }
        },
        // The logger belongs to this host, not to the static Log.Logger: the container flushes and disposes
        // it when the host is disposed at shutdown, and several hosts in one process (tests) keep their own levels.
        preserveStaticLogger: true);

        var telemetry = settings.Telemetry;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(telemetry.ServiceName == "brokkr" ? "brokkr-broker" : telemetry.ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/metrics"))
                    .AddNpgsql()
                    .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(telemetry.SamplingRate, 0, 1))));
                if (telemetry.Enabled)
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(telemetry.OtlpEndpoint));
                }
            });

        builder.Services.AddSingleton<HttpMetrics>();
        builder.Services.AddSingleton<FleetMetrics>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FleetMetrics>());
    }

    public static LogEventLevel ParseLevel(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        "trace" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "warn" or "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "off" => LogEventLevel.Fatal,
        _ => LogEventLevel.Information,
    };
}
