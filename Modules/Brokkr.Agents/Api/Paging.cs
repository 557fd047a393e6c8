using Brokkr.Shared.Errors;

namespace Brokkr.Agents.Api;

/// <summary>
/// Optional <c>limit</c> (1..1000) and <c>offset</c> (≥ 0) on lists that grow without bound. Without
/// them a list answers every row, as the reference does.
/// </summary>
public sealed record Paging(int? Limit, int Offset)
{
    public const int MaxLimit = 1000;

    public static readonly Paging All = new(null, 0);

    /// <summary>Checked with the query extraction, before any caller check, like a value that does not parse.</summary>
    public static Paging From(int? limit, int? offset)
    {
        if (limit is < 1 or > MaxLimit)
        {
            throw ApiException.BadRequest("invalid_pagination", $"limit must be between 1 and {MaxLimit}");
        }

        if (offset is < 0)
        {
            throw ApiException.BadRequest("invalid_pagination", "offset must not be negative");
        }

        return new Paging(limit, offset ?? 0);
    }

    internal IQueryable<T> Apply<T>(IQueryable<T> query)
    {
        if (Offset > 0)
        {
            query = query.Skip(Offset);
        }

        return Limit is { } limit ? query.Take(limit) : query;
    }
}
