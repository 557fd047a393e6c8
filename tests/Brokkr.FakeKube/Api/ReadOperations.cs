using System.Globalization;
using System.Text;
using Brokkr.FakeKube.Hosting;
using Brokkr.FakeKube.Selectors;
using Brokkr.FakeKube.Store;

namespace Brokkr.FakeKube.Api;

/// <summary>get and list; <c>limit</c> and <c>continue</c> are accepted and the whole list is returned in one page.</summary>
internal static class ReadOperations
{
    public static async Task GetAsync(FakeKubeState state, ApiRequest request)
    {
        var stored = state.Store.Get(FakeKubeState.KeyOf(request.Type, request.Namespace, request.Path.Name!))
                     ?? throw ApiException.NotFound(request.Type, request.Path.Name!);
        var json = FakeKubeState.Render(stored, request.Type);
        if (TableOutput.Wanted(request.Context))
        {
            await Respond.Json(request.Context, 200, TableOutput.For(request.Type, [json], stored.ResourceVersion));
            return;
        }

        await Respond.Json(request.Context, 200, json);
    }

    public static async Task ListAsync(FakeKubeState state, ApiRequest request)
    {
        var filter = Filter(request);
        var (items, version) = state.Store.List(request.Type.QualifiedName, request.Namespace, filter);
        var rendered = items.Select(o => FakeKubeState.Render(o, request.Type)).ToList();
        if (TableOutput.Wanted(request.Context))
        {
            await Respond.Json(request.Context, 200, TableOutput.For(request.Type, rendered, version));
            return;
        }

        var json = new StringBuilder();
        json.Append("{\"kind\":\"").Append(request.Type.ListKind)
            .Append("\",\"apiVersion\":\"").Append(request.Type.GroupVersion)
            .Append("\",\"metadata\":{\"resourceVersion\":\"").Append(version.ToString(CultureInfo.InvariantCulture))
            .Append("\"},\"items\":[");
        json.AppendJoin(',', rendered);
        json.Append("]}");
        await Respond.Json(request.Context, 200, json.ToString());
    }

    /// <summary>The label and field selectors of a list, watch or deletecollection request; evaluated under the store lock.</summary>
    public static Func<StoredObject, bool> Filter(ApiRequest request)
    {
        LabelSelector labels;
        FieldSelector fields;
        try
        {
            labels = LabelSelector.Parse(request.Query("labelSelector"));
            fields = FieldSelector.Parse(request.Query("fieldSelector"));
        }
        catch (SelectorException e)
        {
            throw ApiException.BadRequest(e.Message);
        }

        if (labels.Requirements.Count == 0 && ReferenceEquals(fields, FieldSelector.Everything))
        {
            return _ => true;
        }

        var exactName = fields.ExactName;
        return o => (exactName is null || o.Name == exactName) && labels.Matches(o.Labels) && fields.Matches(o.Body);
    }
}
