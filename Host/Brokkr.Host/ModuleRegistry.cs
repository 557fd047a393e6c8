using System.Reflection;
using Brokkr.Agents;
using Brokkr.Audit;
using Brokkr.Auth;
using Brokkr.Diagnostics;
using Brokkr.Generators;
using Brokkr.Health;
using Brokkr.Realtime;
using Brokkr.Stacks;
using Brokkr.Telemetry;
using Brokkr.Templates;
using Brokkr.Webhooks;
using Brokkr.WorkOrders;

namespace Brokkr.Host;

/// <summary>The feature modules composed into the broker, in one place.</summary>
internal static class ModuleRegistry
{
    public static readonly Assembly[] Assemblies =
    [
        typeof(AuditModule).Assembly,
        typeof(AuthModule).Assembly,
        typeof(GeneratorsModule).Assembly,
        typeof(AgentsModule).Assembly,
        typeof(StacksModule).Assembly,
        typeof(TemplatesModule).Assembly,
        typeof(WorkOrdersModule).Assembly,
        typeof(DiagnosticsModule).Assembly,
        typeof(HealthModule).Assembly,
        typeof(TelemetryModule).Assembly,
        typeof(RealtimeModule).Assembly,
        typeof(WebhooksModule).Assembly,
    ];

    public static void AddBrokkrModules(this IHostApplicationBuilder builder)
    {
        builder.AddAuditModule();
        builder.AddAuthModule();
        builder.AddGeneratorsModule();
        builder.AddAgentsModule();
        builder.AddStacksModule();
        builder.AddTemplatesModule();
        builder.AddWorkOrdersModule();
        builder.AddDiagnosticsModule();
        builder.AddHealthModule();
        builder.AddTelemetryModule();
        builder.AddRealtimeModule();
        builder.AddWebhooksModule();
    }
}
