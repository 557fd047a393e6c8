using System.Text.Json.Nodes;
using Brokkr.FakeKube.Api;
using Brokkr.FakeKube.Discovery;
using Brokkr.FakeKube.Selectors;

namespace Brokkr.FakeKube.Objects;

/// <summary>
/// The validation a dry run is expected to catch: names, labels, and the few structural rules manifests
/// most often break (workload selectors, containers, Job restart policy, CRD names). Not a schema check.
/// </summary>
internal static class ObjectValidation
{
    public static void Validate(ResourceType type, JsonObject body)
    {
        CheckStringMaps(type, body);
        var causes = new List<(string, string)>();
        var metadata = body["metadata"] as JsonObject;
        var name = metadata?["name"]?.ToString() ?? string.Empty;
        if (name.Length == 0)
        {
            causes.Add(("metadata.name", "Required value: name or generateName is required"));
        }
        else if (NameRules.Check(type, name) is { } problem)
        {
            causes.Add(("metadata.name", $"Invalid value: \"{name}\": {problem}"));
        }

        CheckLabels(metadata?["labels"] as JsonObject, causes);
        CheckWorkload(type, body, causes);
        if (type.Plural == "customresourcedefinitions")
        {
            CustomResourceDefinitions.Validate(body, name, causes);
        }

        if (causes.Count > 0)
        {
            throw ApiException.Invalid(type, name, causes);
        }
    }

    /// <summary>
    /// Maps the real server decodes into Go map[string]string: a number or boolean there fails decoding
    /// with 400, before validation (a typed client could not read such an object back).
    /// </summary>
    private static void CheckStringMaps(ResourceType type, JsonObject body)
    {
        var maps = new List<(string Path, JsonNode? Map)>
        {
            ("metadata.labels", body["metadata"]?["labels"]),
            ("metadata.annotations", body["metadata"]?["annotations"]),
        };
        if (type is { Group: "", Plural: "configmaps" or "secrets" })
        {
            maps.Add(("data", body["data"]));
            maps.Add(("stringData", body["stringData"]));
            maps.Add(("binaryData", body["binaryData"]));
        }

        foreach (var (path, map) in maps)
        {
            foreach (var (key, value) in map as JsonObject ?? [])
            {
                if (value is not null && value.GetValueKind() != System.Text.Json.JsonValueKind.String)
                {
                    throw ApiException.BadRequest(
                        $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: json: cannot unmarshal {value.GetValueKind().ToString().ToLowerInvariant()} into Go struct field {path}.{key} of type string");
                }
            }
        }
    }

    private static void CheckLabels(JsonObject? labels, List<(string, string)> causes)
    {
        foreach (var (key, value) in labels ?? [])
        {
            if (!LabelSyntax.IsQualifiedName(key))
            {
                causes.Add(("metadata.labels", $"Invalid value: \"{key}\": {LabelSyntax.KeyMessage}"));
            }

            var text = value?.ToString() ?? string.Empty;
            if (!LabelSyntax.IsValue(text))
            {
                causes.Add(($"metadata.labels", $"Invalid value: \"{text}\": {LabelSyntax.ValueMessage}"));
            }
        }
    }

    private static void CheckWorkload(ResourceType type, JsonObject body, List<(string, string)> causes)
    {
        switch (type.Kind)
        {
            case "Pod" when type.Group.Length == 0:
                CheckContainers(body["spec"], "spec", causes);
                break;
            case "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" when type.Group == "apps":
                CheckSelector(body, causes);
                CheckContainers(body["spec"]?["template"]?["spec"], "spec.template.spec", causes);
                break;
            case "Job" when type.Group == "batch":
                var podSpec = body["spec"]?["template"]?["spec"];
                CheckContainers(podSpec, "spec.template.spec", causes);
                if (podSpec?["restartPolicy"]?.ToString() is not ("OnFailure" or "Never"))
                {
                    causes.Add(("spec.template.spec.restartPolicy", "Required value: valid values: \"OnFailure\", \"Never\""));
                }

                break;
        }
    }

    private static void CheckSelector(JsonObject body, List<(string, string)> causes)
    {
        if (body["spec"]?["selector"] is not JsonObject selector)
        {
            causes.Add(("spec.selector", "Required value"));
            return;
        }

        var templateLabels = body["spec"]?["template"]?["metadata"]?["labels"] as JsonObject ?? [];
        var matches = (selector["matchLabels"] as JsonObject ?? []).All(pair =>
            templateLabels[pair.Key]?.ToString() == pair.Value?.ToString());
        if (!matches)
        {
            causes.Add(("spec.template.metadata.labels", $"Invalid value: {templateLabels.ToJsonString()}: `selector` does not match template `labels`"));
        }
    }

    private static void CheckContainers(JsonNode? podSpec, string path, List<(string, string)> causes)
    {
        if (podSpec?["containers"] is not JsonArray { Count: > 0 } containers)
        {
            causes.Add(($"{path}.containers", "Required value"));
            return;
        }

        for (var i = 0; i < containers.Count; i++)
        {
            if (string.IsNullOrEmpty(containers[i]?["name"]?.ToString()))
            {
                causes.Add(($"{path}.containers[{i}].name", "Required value"));
            }

            if (string.IsNullOrEmpty(containers[i]?["image"]?.ToString()))
            {
                causes.Add(($"{path}.containers[{i}].image", "Required value"));
            }
        }
    }
}
