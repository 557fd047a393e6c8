using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Apply;

/// <summary>RFC 7386 JSON merge patch: maps merge, nulls remove, everything else (lists included) is replaced.</summary>
internal static class MergePatch
{
    public static JsonObject Apply(JsonObject target, JsonObject patch)
    {
        var result = (JsonObject)target.DeepClone();
        Merge(result, patch);
        return result;
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchMap)
            {
                if (target[key] is not JsonObject targetMap)
                {
                    targetMap = new JsonObject();
                    target[key] = targetMap;
                }

                Merge(targetMap, patchMap);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
