using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Brokkr.Telemetry.Features;

/// <summary>
/// <c>since</c> and <c>limit</c> are bound as text so that a bad value is 400
/// <c>invalid_query_parameter</c> with the envelope; the document states the reference's types.
/// </summary>
internal static class TelemetryQueryParameters
{
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            switch (parameter.Name)
            {
                case "since":
                    parameter.Description = "Earliest `created_at` to include (RFC 3339). Defaults to, and is clamped to, now − 6 hours.";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
                    break;
                case "limit":
                    parameter.Description = "Maximum rows to return. Defaults to 500; clamped to 1..5000.";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" };
                    break;
            }
        }

        return Task.CompletedTask;
    }
}
