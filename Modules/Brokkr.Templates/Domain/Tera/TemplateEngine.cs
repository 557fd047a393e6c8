using System.Text;
using System.Text.Json;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Brokkr.Templates.Domain.Tera;

/// <summary>
/// Stack templates in Tera syntax, run on Scriban (ADR 0012): <see cref="Compile"/> checks the syntax
/// at create and update, <see cref="Render"/> instantiates with the parameters under limits of time,
/// loop iterations and output size, so a hostile template ends in a 400, never a hung broker.
/// </summary>
internal static class TemplateEngine
{
    public const int MaxOutputBytes = 2 * 1024 * 1024;
    public const int LoopLimit = 100_000;
    public static readonly TimeSpan MaxRenderTime = TimeSpan.FromSeconds(2);

    /// <summary>The translated, parsed template; throws <see cref="TemplateSyntaxException"/>.</summary>
    public static Template Compile(string source)
    {
        var script = TeraTranslator.Translate(source);
        var template = Template.Parse(script, lexerOptions: new LexerOptions { Mode = ScriptMode.ScriptOnly });
        if (template.HasErrors)
        {
            // The translator emits only what Scriban parses; reaching this is a translator defect, still the template's 400.
            throw new TemplateSyntaxException($"The template could not be compiled: {template.Messages[0].Message}", 1, 1);
        }

        return template;
    }

    /// <summary>Renders with the parameters' top-level keys as variables; throws <see cref="TemplateRenderException"/>.</summary>
    public static string Render(Template template, JsonElement parameters) => Render(template, parameters, MaxRenderTime);

    public static string Render(Template template, JsonElement parameters, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var output = new BoundedWriter(MaxOutputBytes);
        var context = new TemplateContext(new ScriptObject())
        {
            StrictVariables = true,
            LoopLimit = LoopLimit,
            RecursiveLimit = TeraTranslator.MaxNesting * 4,
            // Scriban would silently cut long strings to 1 MiB plus "..."; the output limit is enforced by BoundedWriter instead.
            LimitToString = 0,
            CancellationToken = deadline.Token,
        };
        context.PushGlobal(TeraRuntime.Functions(parameters, MaxOutputBytes));
        context.PushOutput(new TextWriterOutput(output));
        try
        {
            template.Render(context);
        }
        catch (Exception ex) when (Cause(ex) is TemplateRenderException cause)
        {
            throw cause;
        }
        catch (ScriptAbortException)
        {
            throw new TemplateRenderException($"Rendering took longer than {timeout.TotalSeconds:0.#} s");
        }
        catch (ScriptRuntimeException ex)
        {
            throw new TemplateRenderException(ex.OriginalMessage);
        }

        var rendered = output.ToString();
        return Encoding.UTF8.GetByteCount(rendered) > MaxOutputBytes
            ? throw new TemplateRenderException($"The rendered output exceeds {MaxOutputBytes} bytes")
            : rendered;
    }

    private static TemplateRenderException? Cause(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is TemplateRenderException render)
            {
                return render;
            }
        }

        return null;
    }

    /// <summary>Collects the output and stops the rendering once it passes the limit.</summary>
    private sealed class BoundedWriter(int maxChars) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override void Write(char value)
        {
            Check(1);
            base.Write(value);
        }

        public override void Write(string? value)
        {
            Check(value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Check(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        private void Check(int adding)
        {
            if ((long)GetStringBuilder().Length + adding > maxChars)
            {
                throw new TemplateRenderException($"The rendered output exceeds {maxChars} bytes");
            }
        }
    }
}
