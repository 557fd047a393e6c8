using Brokkr.Shared.Errors;

namespace Brokkr.Generators.Domain;

/// <summary>Optional <c>limit</c> (1..1000) and <c>offset</c> (≥ 0); without them a list returns every row.</summary>
internal readonly record struct Paging(int? Limit, int Offset)
{
    public const int MaxLimit = 1000;

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

    public IQueryable<T> Apply<T>(IQueryable<T> query)
    {
        if (Offset > 0)
        {
            query = query.Skip(Offset);
        }

        return Limit is { } limit ? query.Take(limit) : query;
    }
}
