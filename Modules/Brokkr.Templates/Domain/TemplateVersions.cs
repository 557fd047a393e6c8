using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Templates.Data;
using Brokkr.Templates.Domain.Tera;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace Brokkr.Templates.Domain;

/// <summary>
/// A new version row for (owner, name): version = max(live versions) + 1, as the reference computes it,
/// under a transaction-scoped advisory lock on the pair so two concurrent creates cannot both take the
/// same number (the unique index would refuse the second with a 409).
/// </summary>
internal static class TemplateVersions
{
    /// <summary>Content checks in the reference's order: blank fields, then syntax, then the schema.</summary>
    public static async Task ValidateAsync(string? description, string content, string parametersSchema, CancellationToken cancellationToken)
    {
        TemplateRules.ValidateText(description, content, parametersSchema);
        try
        {
            TemplateEngine.Compile(content);
        }
        catch (TemplateSyntaxException ex)
        {
            throw Shared.Errors.ApiException.BadRequest("invalid_template_syntax", $"Invalid template syntax: {ex.Message}",
                new Dictionary<string, object?> { ["line"] = ex.Line, ["column"] = ex.Column });
        }

        await ParametersSchema.LoadAsync(parametersSchema, cancellationToken);
    }

    public static async Task<StackTemplateRow> InsertAsync(
        BrokkrDb db, Guid? generatorId, string name, string? description, string content, string parametersSchema, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync(
            "SELECT pg_advisory_xact_lock(hashtextextended(@key, 400))",
            cancellationToken,
            new DataParameter("key", $"stack_template/{generatorId?.ToString() ?? "system"}/{name}", DataType.Text));
        var templates = db.GetTable<StackTemplateRow>();
        var latest = await templates
            .Where(t => t.GeneratorId == generatorId && t.Name == name && t.DeletedAt == null)
            .Select(t => (int?)t.Version)
            .MaxAsync(cancellationToken);
        return await templates.InsertWithOutputAsync(new StackTemplateRow
        {
            Id = Guid.CreateVersion7(),
            GeneratorId = generatorId,
            Name = name,
            Description = description,
            Version = (latest ?? 0) + 1,
            TemplateContent = content,
            ParametersSchema = parametersSchema,
            Checksum = TemplateRules.Checksum(content),
        }, token: cancellationToken);
    }

    /// <summary><c>template.*</c> audit entries: the real caller, <c>{name, version}</c> (details §4.8).</summary>
    public static AuditEntry Audit(Caller caller, string action, StackTemplateRow row, bool withDetails = true)
        => new(caller.ActorType, caller.ActorId, action, "template", row.Id,
            withDetails ? new Dictionary<string, object?> { ["name"] = row.Name, ["version"] = row.Version } : null);
}
