using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Json;
using Brokkr.Templates.Api;
using Brokkr.Templates.Data;
using Brokkr.Templates.Domain;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Templates.Features;

/// <summary><c>POST /api/v1/templates/{id}/labels</c> with a bare JSON string body, e.g. <c>"env:prod"</c>.</summary>
public static class AddTemplateLabel
{
    public sealed record Command(Caller Caller, Guid TemplateId, string Label) : ICommand<TemplateLabel>;

    internal sealed class Handler(BrokkrDb db) : ICommandHandler<Command, TemplateLabel>
    {
        public async ValueTask<TemplateLabel> Handle(Command command, CancellationToken cancellationToken)
        {
            await TemplateAccess.OwnedAsync(db, command.Caller, command.TemplateId, cancellationToken);
            TemplateRules.ValidateLabel(command.Label);
            var row = await db.GetTable<TemplateLabelRow>().InsertWithOutputAsync(
                new TemplateLabelRow { Id = Guid.CreateVersion7(), TemplateId = command.TemplateId, Label = command.Label }, token: cancellationToken);
            return TemplateLabel.From(row);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/templates/{id}/labels", async (Guid id, Caller caller, Json<string> body, ISender sender, CancellationToken ct)
                    => TypedResults.Created((string?)null, await sender.Send(new Command(caller, id, body.Value), ct)))
                .Accepts<string>("application/json")
                .WithTags("templates")
                .WithName("templates_add_label")
                .WithSummary("Add a label to a template")
                .WithDescription("Admin or the owning generator (403 `template_not_owned`). The body is a bare JSON string: 1 to 64 bytes, no whitespace (400 `invalid_label`); a label the template already has → 409 `unique_violation`. Labels belong to this version only.");
    }
}
