using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Brokkr.Agent.Domain;

/// <summary>
/// YAML nodes to JSON, with the scalar rules Kubernetes users expect: quoted and block scalars are
/// strings; plain scalars are null (<c>null</c>, <c>~</c>, empty), booleans (<c>true</c>/<c>false</c>),
/// integers (decimal, <c>0x</c>, <c>0o</c>, and a leading 0 as octal as kubectl reads <c>defaultMode: 0644</c>),
/// floats, or strings. <c>yes</c>/<c>no</c>/<c>on</c>/<c>off</c> stay strings (YAML 1.2, as the reference agent).
/// </summary>
internal static class YamlToJson
{
    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => Mapping(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new ManifestException($"unsupported YAML node at {node.Start}"),
    };

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new ManifestException($"a mapping key at {key.Start} is not a plain value");
            }

            if (name == "<<")
            {
                throw new ManifestException($"YAML merge keys (<<) are not supported ({key.Start})");
            }

            if (result.ContainsKey(name))
            {
                throw new ManifestException($"duplicate key '{name}' at {key.Start}");
            }

            result[name] = Convert(value);
        }

        return result;
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!!str")
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (TryInteger(text, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (LooksLikeFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    private static bool TryInteger(string text, out long value)
    {
        value = 0;
        var negative = text.StartsWith('-');
        var body = text.TrimStart('-', '+');
        if (text.Length - body.Length > 1 || body.Length == 0)
        {
            return false;
        }

        bool ok;
        if (body.StartsWith("0x", StringComparison.Ordinal))
        {
            ok = long.TryParse(body[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && body.Length > 2;
        }
        else if (body.StartsWith("0o", StringComparison.Ordinal))
        {
            ok = TryOctal(body[2..], out value);
        }
        else if (body.Length > 1 && body[0] == '0' && body.All(char.IsAsciiDigit))
        {
            ok = TryOctal(body[1..], out value);
        }
        else
        {
            ok = body.All(char.IsAsciiDigit) && long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        if (ok && negative)
        {
            value = -value;
        }

        return ok;
    }

    private static bool TryOctal(string digits, out long value)
    {
        value = 0;
        if (digits.Length == 0 || digits.Length > 21)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        return true;
    }

    private static bool LooksLikeFloat(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] is '-' or '+')
        {
            i++;
        }

        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '-' or '+')
            {
                i++;
            }

            var exponent = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                exponent++;
            }

            if (exponent == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }
}
