using System.Text.RegularExpressions;
using Brokkr.FakeKube.Discovery;

namespace Brokkr.FakeKube.Objects;

/// <summary>Which names the real server accepts for which resources, with its messages.</summary>
internal static partial class NameRules
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    /// <summary>Null when the name is valid, else the reason.</summary>
    public static string? Check(ResourceType type, string name)
    {
        if (type.Group == "rbac.authorization.k8s.io")
        {
            return name is "." or ".." || name.Contains('/') || name.Contains('%')
                ? "may not contain '/' or '%' and may not be '.' or '..'"
                : null;
        }

        if (type.Plural is "namespaces" or "services")
        {
            return name.Length <= 63 && DnsLabel().IsMatch(name) ? null : LabelMessage;
        }

        return name.Length <= 253 && DnsSubdomain().IsMatch(name) ? null : SubdomainMessage;
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
