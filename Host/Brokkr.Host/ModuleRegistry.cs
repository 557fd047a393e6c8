using System.Reflection;
using Brokkr.Agents;
using Brokkr.Audit;
using Brokkr.Auth;
using Brokkr.Generators;
using Brokkr.Stacks;

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
    ];

    public static void AddBrokkrModules(this IHostApplicationBuilder builder)
    {
        builder.AddAuditModule();
        builder.AddAuthModule();
        builder.AddGeneratorsModule();
        builder.AddAgentsModule();
        builder.AddStacksModule();
    }
}
