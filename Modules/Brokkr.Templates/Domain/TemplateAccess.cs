using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Templates.Data;
using LinqToDB;
using LinqToDB.Async;

namespace Brokkr.Templates.Domain;

/// <summary>
/// Who may see or change a template (details §3.3): admin everything; a generator reads system
/// templates and its own, and changes only its own; agents nothing. Existence (404) comes first.
/// </summary>
internal static class TemplateAccess
{
    /// <summary><c>GET</c>/<c>POST /templates</c>: agents are refused before anything is read.</summary>
    public static void RequireNotAgent(Caller caller)
    {
        if (caller.IsAgent)
        {
            throw ApiException.Forbidden("templates_not_accessible", "Agents cannot access templates");
        }
    }

    public static async Task<StackTemplateRow> ReadableAsync(BrokkrDb db, Caller caller, Guid templateId, CancellationToken cancellationToken)
    {
        var template = await LiveAsync(db, templateId, cancellationToken) ?? throw NotFound();
        return caller.IsAdmin || (caller.IsGenerator && (template.GeneratorId is null || template.GeneratorId == caller.Id))
            ? template
            : throw ApiException.Forbidden("template_not_accessible", "Access to this template is not allowed");
    }

    public static async Task<StackTemplateRow> OwnedAsync(BrokkrDb db, Caller caller, Guid templateId, CancellationToken cancellationToken)
    {
        var template = await LiveAsync(db, templateId, cancellationToken) ?? throw NotFound();
        return caller.IsAdmin || (caller.IsGenerator && template.GeneratorId is { } owner && owner == caller.Id)
            ? template
            : throw ApiException.Forbidden("template_not_owned", "Only the template's owner may change it");
    }

    public static Task<StackTemplateRow?> LiveAsync(BrokkrDb db, Guid templateId, CancellationToken cancellationToken)
        => db.GetTable<StackTemplateRow>().FirstOrDefaultAsync(t => t.Id == templateId && t.DeletedAt == null, cancellationToken);

    public static ApiException NotFound() => ApiException.NotFound("template_not_found", "Template not found");
}
