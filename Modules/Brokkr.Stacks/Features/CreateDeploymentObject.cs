using System.Text;
using System.Text.Json;
using Brokkr.Contracts.Stacks;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Http;
using Brokkr.Shared.Json;
using Brokkr.Shared.Text;
using Brokkr.Stacks.Data;
using Brokkr.Stacks.Domain;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Brokkr.Stacks.Features;

/// <summary>
/// <c>POST /api/v1/stacks/{id}/deployment-objects</c>: a new immutable revision, from JSON
/// <c>{yaml_content, is_deletion_marker?}</c> or a raw YAML body. Every body problem is
/// 400 <c>invalid_deployment_object</c>, checked after the stack's existence and ownership.
/// </summary>
public static class CreateDeploymentObject
{
    public sealed record NewDeploymentObject(string YamlContent, bool IsDeletionMarker = false);

    public sealed record Command(Caller Caller, Guid StackId, byte[] Body, string? ContentType, bool DeletionMarkerQuery) : ICommand<DeploymentObject>;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, DeploymentObject>
    {
        public async ValueTask<DeploymentObject> Handle(Command command, CancellationToken cancellationToken)
        {
            await StackAccess.OwnedAsync(db, command.Caller, command.StackId, cancellationToken);
            return await CreateAsync(db, publisher, command.StackId, Parse(command), cancellationToken);
        }

        /// <summary>Checks the content and inserts the revision; shared with the Contracts command of other modules.</summary>
        internal static async Task<DeploymentObject> CreateAsync(BrokkrDb db, IPublisher publisher, Guid stackId, NewDeploymentObject body, CancellationToken cancellationToken)
        {
            Validate(body);
            var row = await db.GetTable<DeploymentObjectRow>().InsertWithOutputAsync(new DeploymentObjectRow
            {
                Id = Guid.CreateVersion7(),
                StackId = stackId,
                YamlContent = body.YamlContent,
                YamlChecksum = Checksum.Of(body.YamlContent),
                IsDeletionMarker = body.IsDeletionMarker,
            }, token: cancellationToken);
            var revision = row.ToContract();
            await StackEvents.RevisionCreatedAsync(db, publisher, revision, cancellationToken);
            return revision;
        }

        private static NewDeploymentObject Parse(Command command)
        {
            NewDeploymentObject body;
            if (MediaTypes.IsYaml(command.ContentType))
            {
                body = new NewDeploymentObject(Decode(command.Body), command.DeletionMarkerQuery);
            }
            else
            {
                try
                {
                    body = JsonSerializer.Deserialize<NewDeploymentObject>(command.Body, BrokkrJson.Options) ?? throw Invalid("The body must be a JSON object");
                }
                catch (JsonException)
                {
                    throw Invalid("The body must be JSON `{yaml_content, is_deletion_marker?}` or raw YAML with a YAML content type");
                }
            }

            return body;
        }

        private static void Validate(NewDeploymentObject body)
        {
            if (!WireText.IsStorable(body.YamlContent))
            {
                throw Invalid("YAML must not contain NUL characters or unpaired surrogates");
            }

            if (body.IsDeletionMarker && string.IsNullOrWhiteSpace(body.YamlContent))
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(body.YamlContent))
            {
                throw Invalid("yaml_content must not be empty");
            }

            if (YamlDocuments.Problem(body.YamlContent) is { } problem)
            {
                throw Invalid(problem);
            }
        }

        private static string Decode(byte[] bytes)
        {
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Invalid("The body is not valid UTF-8");
            }
        }

        private static ApiException Invalid(string message) => ApiException.BadRequest("invalid_deployment_object", message);
    }

    internal sealed class Endpoint : ICarterModule
    {
        private const string DeletionMarkerParameter = "deletion_marker";

        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/stacks/{id}/deployment-objects", async (
                    Guid id, [FromQuery(Name = DeletionMarkerParameter)] string? deletionMarker, Caller caller, HttpContext context, ISender sender, CancellationToken ct) =>
                {
                    var marker = QueryParameters.OptionalBool(DeletionMarkerParameter, deletionMarker) ?? false;
                    var body = await RequestBody.ReadAsync(context);
                    var created = await sender.Send(new Command(caller, id, body, context.Request.ContentType, marker), ct);
                    return TypedResults.Created((string?)null, created);
                })
                .Accepts<NewDeploymentObject>("application/json", "application/yaml", "text/yaml", "application/x-yaml", "*/*")
                .WithTags("stacks")
                .WithName("create_deployment_object")
                .AddOpenApiOperationTransformer((operation, _, _) =>
                {
                    // Bound as text to answer a non-boolean with invalid_query_parameter; documented as the reference's boolean.
                    if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == DeletionMarkerParameter) is { } parameter)
                    {
                        parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean };
                    }

                    return Task.CompletedTask;
                })
                .WithSummary("Create a deployment object")
                .WithDescription("A new immutable revision of the stack. JSON `{yaml_content, is_deletion_marker?}`, or the raw YAML with `Content-Type: application/yaml` (`?deletion_marker=true` for a marker). The YAML must parse and hold at least one non-null document; a deletion marker may be empty. Bodies up to 2 MiB.");
    }
}
