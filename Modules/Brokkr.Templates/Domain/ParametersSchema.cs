using System.Text.Json;
using System.Text.RegularExpressions;
using Brokkr.Shared.Errors;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Brokkr.Templates.Domain;

/// <summary>One reason the parameters do not satisfy the template's schema.</summary>
internal sealed record ParameterValidationError(string Path, string Message);

/// <summary>
/// A template's <c>parameters_schema</c>: JSON Schema as text, checked at create and update and applied
/// to the parameters at instantiation (NJsonSchema). Only local references (<c>#...</c>) are allowed:
/// the broker never reads a file or a URL on a tenant's behalf.
/// </summary>
internal static partial class ParametersSchema
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal) { "null", "boolean", "object", "array", "number", "string", "integer" };

    private static readonly string[] SchemaMaps = ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"];
    private static readonly string[] SchemaLists = ["allOf", "anyOf", "oneOf", "prefixItems"];
    private static readonly string[] SchemaValues = ["items", "additionalItems", "additionalProperties", "contains", "not", "if", "then", "else", "propertyNames", "unevaluatedItems", "unevaluatedProperties"];

    /// <summary>The compiled schema, or 400 <c>invalid_parameters_schema</c>.</summary>
    public static async Task<JsonSchema> LoadAsync(string text, CancellationToken cancellationToken)
    {
        string normalized;
        try
        {
            using var document = JsonDocument.Parse(text);
            normalized = document.RootElement.ValueKind switch
            {
                JsonValueKind.Object => text,
                JsonValueKind.True => "{}",
                JsonValueKind.False => """{"not":{}}""",
                _ => throw Invalid("parameters_schema must be a JSON Schema: a JSON object (or true/false)"),
            };
            Check(document.RootElement, "#", 0);
        }
        catch (JsonException ex)
        {
            throw Invalid($"parameters_schema is not valid JSON: {ex.Message}");
        }

        try
        {
            return await JsonSchema.FromJsonAsync(normalized, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Invalid($"parameters_schema is not a usable JSON Schema: {ex.Message.Split('\n')[0]}");
        }
    }

    public static IReadOnlyList<ParameterValidationError> Validate(JsonSchema schema, string parametersJson)
    {
        var errors = new List<ParameterValidationError>();
        Flatten(schema.Validate(parametersJson), errors);
        return errors;
    }

    private static void Flatten(IEnumerable<ValidationError> errors, List<ParameterValidationError> into)
    {
        foreach (var error in errors)
        {
            var path = string.IsNullOrEmpty(error.Path) ? "#" : error.Path;
            var words = Words().Replace(error.Kind.ToString(), " $1").Trim().ToLowerInvariant();
            into.Add(new ParameterValidationError(path, error.Property is { Length: > 0 } property ? $"{words}: {property}" : words));
            if (error is ChildSchemaValidationError child)
            {
                foreach (var nested in child.Errors.Values)
                {
                    Flatten(nested, into);
                }
            }
        }
    }

    /// <summary>What NJsonSchema accepts silently but a JSON Schema validator refuses, and every non-local reference.</summary>
    private static void Check(JsonElement schema, string at, int depth)
    {
        if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{at} must be a schema (an object or a boolean)");
        }

        foreach (var property in schema.EnumerateObject())
        {
            var here = $"{at}/{property.Name}";
            var value = property.Value;
            switch (property.Name)
            {
                case "$ref" when value.ValueKind != JsonValueKind.String || !value.GetString()!.StartsWith('#'):
                    throw Invalid($"{here}: only local references (\"#/...\") are allowed");
                case "type" when !IsType(value):
                    throw Invalid($"{here} must be one of {string.Join(", ", Types)} or an array of them");
                case "required" when value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String):
                    throw Invalid($"{here} must be an array of property names");
                case "enum" when value.ValueKind != JsonValueKind.Array:
                    throw Invalid($"{here} must be an array");
                case "pattern" when value.ValueKind != JsonValueKind.String || !IsRegex(value.GetString()!):
                    throw Invalid($"{here} must be a regular expression");
                case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum" or "multipleOf"
                    when value.ValueKind is not (JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False):
                    throw Invalid($"{here} must be a number");
                case "minLength" or "maxLength" or "minItems" or "maxItems" or "minProperties" or "maxProperties"
                    when value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var count) || count < 0:
                    throw Invalid($"{here} must be a non-negative integer");
            }

            if (SchemaMaps.Contains(property.Name) && value.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in value.EnumerateObject())
                {
                    if (property.Name == "patternProperties" && !IsRegex(entry.Name))
                    {
                        throw Invalid($"{here}: `{entry.Name}` is not a regular expression");
                    }

                    Check(entry.Value, $"{here}/{entry.Name}", depth + 1);
                }
            }
            else if (SchemaLists.Contains(property.Name) || (property.Name == "items" && value.ValueKind == JsonValueKind.Array))
            {
                if (value.ValueKind != JsonValueKind.Array)
                {
                    throw Invalid($"{here} must be an array of schemas");
                }

                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(item, $"{here}/{i++}", depth + 1);
                }
            }
            else if (SchemaValues.Contains(property.Name))
            {
                Check(value, here, depth + 1);
            }
            else
            {
                RefuseRemoteReferences(value, here);
            }
        }
    }

    /// <summary>Unknown keywords may still hold schemas NJsonSchema follows; none may reference outside the document.</summary>
    private static void RefuseRemoteReferences(JsonElement value, string at)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (property.Name == "$ref" && (property.Value.ValueKind != JsonValueKind.String || !property.Value.GetString()!.StartsWith('#')))
                    {
                        throw Invalid($"{at}/$ref: only local references (\"#/...\") are allowed");
                    }

                    RefuseRemoteReferences(property.Value, $"{at}/{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    RefuseRemoteReferences(item, at);
                }

                break;
        }
    }

    private static bool IsType(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Types.Contains(value.GetString()!),
        JsonValueKind.Array => value.GetArrayLength() > 0 && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && Types.Contains(v.GetString()!)),
        _ => false,
    };

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static ApiException Invalid(string message) => ApiException.BadRequest("invalid_parameters_schema", message);

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Words();
}
