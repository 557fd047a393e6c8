using Brokkr.Shared.Errors;
using Brokkr.Shared.Text;

namespace Brokkr.Generators.Domain;

/// <summary>What a generator's name and description must satisfy, for the API and the CLI alike.</summary>
internal static class GeneratorRules
{
    public const string SystemGeneratorName = "__system__";
    public const int MaxNameLength = 255;
    public const int MaxDescriptionLength = 4096;

    public static void Validate(string name, string? description)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid("Generator name must not be blank");
        }

        if (WireText.Characters(name) > MaxNameLength)
        {
            throw Invalid($"Generator name must be at most {MaxNameLength} characters");
        }

        if (description is not null && WireText.Characters(description) > MaxDescriptionLength)
        {
            throw Invalid($"Generator description must be at most {MaxDescriptionLength} characters");
        }
    }

    public static ApiException NotFound() => ApiException.NotFound("generator_not_found", "Generator not found");

    private static ApiException Invalid(string message) => ApiException.BadRequest("invalid_generator", message);
}
