using System.Globalization;
using System.Reflection;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Http;
using Brokkr.Shared.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Brokkr.Host.Api;

/// <summary>
/// The served document at <c>/docs/openapi.json</c>, generated from the endpoints and shaped like the
/// reference's: paths relative to the <c>/api/v1</c> server, the reference's operation ids (declared
/// by each endpoint with <c>.WithName()</c>) and a PAK bearer requirement on every operation.
/// </summary>
internal static class BrokkrOpenApi
{
    public const string ApiPrefix = "/api/v1";
    public const string SecurityScheme = "pak";

    public static void AddBrokkrOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options =>
        {
            options.CreateSchemaReferenceId = info => IsUseCaseType(info.Type) ? SchemaId(info.Type) : OpenApiOptions.CreateDefaultSchemaReferenceId(info);
            options.AddSchemaTransformer(DescribeConvertedScalars);
            options.AddOperationTransformer(DescribeBoundParameters);
            options.AddDocumentTransformer(ShapeLikeTheReference);
        });
    }

    /// <summary>
    /// UUIDs and timestamps go through our own converters (flexible UUID input, Z timestamps), which
    /// hides their JSON type from the schema generator; state it again.
    /// </summary>
    private static Task DescribeConvertedScalars(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type);
        var format = (underlying ?? type) switch
        {
            var t when t == typeof(Guid) => "uuid",
            var t when t == typeof(DateTime) || t == typeof(DateTimeOffset) => "date-time",
            _ => null,
        };
        if (format is not null)
        {
            schema.Type = underlying is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = format;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// <see cref="Caller"/>, <see cref="Json{T}"/> and <see cref="Paging"/> bind themselves from the request
    /// (BindAsync), so the generator cannot see what they are: the caller is the PAK (the security
    /// requirement, not a parameter), <c>Json&lt;T&gt;</c> is a JSON request body of <c>T</c> and paging is
    /// the optional <c>limit</c> and <c>offset</c> query parameters.
    /// </summary>
    private static async Task DescribeBoundParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var method = context.Description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault();
        if (method is null)
        {
            return;
        }

        var selfBound = method.GetParameters().Where(p => p.ParameterType == typeof(Caller) || p.ParameterType == typeof(Paging) || IsJsonBody(p.ParameterType)).ToList();
        var pagingAt = -1;
        if (operation.Parameters is { } parameters)
        {
            foreach (var parameter in parameters.Where(p => selfBound.Any(b => b.Name == p.Name)).ToList())
            {
                if (selfBound.First(b => b.Name == parameter.Name).ParameterType == typeof(Paging))
                {
                    pagingAt = parameters.IndexOf(parameter);
                }

                parameters.Remove(parameter);
            }
        }

        if (selfBound.Any(p => p.ParameterType == typeof(Paging)))
        {
            operation.Parameters ??= [];
            var at = pagingAt < 0 ? operation.Parameters.Count : pagingAt;
            operation.Parameters.Insert(at, PagingParameter(Paging.OffsetName, "Rows to skip (at least 0).", minimum: 0, maximum: null));
            operation.Parameters.Insert(at, PagingParameter(Paging.LimitName, $"At most this many rows (1 to {Paging.MaxLimit}); without it every row.", minimum: 1, maximum: Paging.MaxLimit));
        }

        var body = selfBound.FirstOrDefault(p => IsJsonBody(p.ParameterType));
        if (body is null || operation.RequestBody is not null)
        {
            return;
        }

        var bodyType = body.ParameterType.GetGenericArguments()[0];
        IOpenApiSchema schema = await context.GetOrCreateSchemaAsync(bodyType, null, cancellationToken);
        if (context.Document is { } document && schema.Type == JsonSchemaType.Object && !bodyType.IsGenericType)
        {
            // A named component, as the generator makes for response types, so that clients get a named type.
            var id = SchemaId(bodyType);
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas.TryAdd(id, schema);
            schema = new OpenApiSchemaReference(id, document);
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }

    private static OpenApiParameter PagingParameter(string name, string description, int minimum, int? maximum) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = false,
        Description = description,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = minimum.ToString(CultureInfo.InvariantCulture),
            Maximum = maximum?.ToString(CultureInfo.InvariantCulture),
        },
    };

    private static bool IsJsonBody(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Json<>);

    private static bool IsUseCaseType(Type type) => type.IsNested && type.Name is "Request" or "Response" or "Body" or "Query" or "Command";

    /// <summary>Wire types are named after the reference document's schemas; a use case's nested Request is CreateStackRequest.</summary>
    private static string SchemaId(Type type) => IsUseCaseType(type) ? type.DeclaringType!.Name + type.Name : type.Name;

    private static Task ShapeLikeTheReference(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Brokkr",
            Version = "1.0.0",
            Description = "Brokkr for .NET: a control plane that distributes Kubernetes objects to many clusters. Wire-compatible with the Brokkr v1 API.",
        };

        // The reference's paths are relative to its one server, /api/v1 (behind a path base when there is one).
        // What lives outside it (/healthz, /readyz, /metrics, /docs) is not part of the reference document either.
        var pathBase = context.ApplicationServices.GetService<IHttpContextAccessor>()?.HttpContext?.Request.PathBase.Value ?? string.Empty;
        document.Servers = [new OpenApiServer { Url = pathBase + ApiPrefix }];
        var paths = new OpenApiPaths();
        foreach (var (path, item) in document.Paths)
        {
            if (path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal))
            {
                paths[path[ApiPrefix.Length..]] = item;
            }
        }

        document.Paths = paths;

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A prefixed API key (PAK): brokkr_BR<6 base58>_<base58>. Admin, agent and generator PAKs all use this header.",
        };
        foreach (var operation in paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, document)] = [] }];
        }

        return Task.CompletedTask;
    }
}
