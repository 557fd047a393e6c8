using System.Security.Cryptography;
using System.Text;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Text;

namespace Brokkr.Templates.Domain;

/// <summary>What a template row, label and annotation must satisfy (details §4.7; blank name or content is a 400, not the reference's 500).</summary>
internal static class TemplateRules
{
    public const int MaxNameCharacters = 255;
    public const int MaxTagBytes = 64;

    public static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || !WireText.Fits(name, MaxNameCharacters))
        {
            throw ApiException.BadRequest("invalid_template", $"name must be 1 to {MaxNameCharacters} characters of text, not blank");
        }
    }

    public static void ValidateText(string? description, string content, string parametersSchema)
    {
        if (!WireText.IsStorable(description))
        {
            throw ApiException.BadRequest("invalid_template", "description must not contain NUL characters or unpaired surrogates");
        }

        if (string.IsNullOrWhiteSpace(content) || !WireText.IsStorable(content))
        {
            throw ApiException.BadRequest("invalid_template", "template_content must not be blank or contain NUL characters or unpaired surrogates");
        }

        if (!WireText.IsStorable(parametersSchema))
        {
            throw ApiException.BadRequest("invalid_parameters_schema", "parameters_schema must not contain NUL characters or unpaired surrogates");
        }
    }

    /// <summary>Template labels: non-empty, at most 64 bytes of UTF-8, no whitespace (400 <c>invalid_label</c>).</summary>
    public static void ValidateLabel(string label)
    {
        if (!IsTag(label))
        {
            throw ApiException.BadRequest("invalid_label", "Label must be 1 to 64 bytes of text with no whitespace");
        }
    }

    /// <summary>Template annotations: key and value each like a label (400 <c>invalid_annotation</c>).</summary>
    public static void ValidateAnnotation(string key, string value)
    {
        if (!IsTag(key) || !IsTag(value))
        {
            throw ApiException.BadRequest("invalid_annotation", "Annotation key and value must each be 1 to 64 bytes of text with no whitespace");
        }
    }

    public static string Checksum(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static bool IsTag(string text)
        => text.Length > 0 && WireText.IsStorable(text) && Encoding.UTF8.GetByteCount(text) <= MaxTagBytes && !text.Any(char.IsWhiteSpace);
}
