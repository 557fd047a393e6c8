using Microsoft.OpenApi;

namespace Brokkr.Host.Api;

internal static class BrokkrOpenApi
{
    public static void AddBrokkrOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options =>
        {
            // Wire types are named after the reference document's schemas, so the type name is the schema id.
            options.CreateSchemaReferenceId = info => info.Type.IsNested && info.Type.Name is "Request" or "Response" or "Body" or "Query" or "Command"
                ? info.Type.DeclaringType!.Name + info.Type.Name
                : Microsoft.AspNetCore.OpenApi.OpenApiOptions.CreateDefaultSchemaReferenceId(info);
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Brokkr",
                    Version = "1.0.0",
                    Description = "Brokkr for .NET: a control plane that distributes Kubernetes objects to many clusters. Wire-compatible with the Brokkr v1 API.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["pak"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A prefixed API key (PAK): brokkr_BR<6>_<long>",
                };
                return Task.CompletedTask;
            });
        });
    }
}
