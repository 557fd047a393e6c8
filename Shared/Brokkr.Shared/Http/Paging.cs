using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Brokkr.Shared.Http;

/// <summary>
/// A page of a list that can grow without bound: optional <c>limit</c> (1..1000) and <c>offset</c>
/// (≥ 0); without them every row, as the reference answers. An endpoint takes it as a parameter and
/// it binds itself from the query string, checked with the other extraction errors (400
/// <c>invalid_query_parameter</c>); the served OpenAPI document shows it as the two query parameters.
/// </summary>
public sealed record Paging(int? Limit, int Offset) : IBindableFromHttpContext<Paging>
{
    public const int MaxLimit = 1000;
    public const string LimitName = "limit";
    public const string OffsetName = "offset";

    public static readonly Paging All = new(null, 0);

    public IQueryable<T> Apply<T>(IQueryable<T> query)
    {
        if (Offset > 0)
        {
            query = query.Skip(Offset);
        }

        return Limit is { } limit ? query.Take(limit) : query;
    }

    public static ValueTask<Paging?> BindAsync(HttpContext context, ParameterInfo parameter)
        => ValueTask.FromResult<Paging?>(From(context.Request.Query));

    public static Paging From(IQueryCollection query)
        => QueryParameters.Paging(query[LimitName], query[OffsetName]);
}
