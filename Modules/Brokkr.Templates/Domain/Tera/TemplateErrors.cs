namespace Brokkr.Templates.Domain.Tera;

/// <summary>The template does not parse as the supported Tera syntax (400 <c>invalid_template_syntax</c>).</summary>
internal sealed class TemplateSyntaxException(string message, int line, int column)
    : Exception($"{message} (line {line}, column {column})")
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}

/// <summary>Rendering failed: a missing variable, a type error, or a limit was reached (400 <c>template_render_failed</c>).</summary>
internal sealed class TemplateRenderException(string message) : Exception(message);
