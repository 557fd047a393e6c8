using System.Globalization;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;

namespace Brokkr.Stacks.Api;

/// <summary>
/// Query values parsed as the framework would (a value that does not parse is a 400 before any
/// authorization check), with a clear code and the parameter's name.
/// </summary>
internal static class QueryParameters
{
    public const int MaxLimit = 1000;

    public static Guid? OptionalUuid(string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return Uuid.TryParse(value, out var id) ? id : throw Invalid(name, "must be a UUID");
    }

    public static long? NonNegative(string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Invalid(name, "must be an integer of at least 0");
    }

    /// <summary>Optional paging (compatibility.md "Add"): <c>limit</c> 1..1000, <c>offset</c> ≥ 0.</summary>
    public static Paging Paging(string? limit, string? offset)
    {
        int? parsedLimit = null;
        if (limit is not null)
        {
            parsedLimit = int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= MaxLimit
                ? l
                : throw Invalid("limit", $"must be an integer from 1 to {MaxLimit}");
        }

        var parsedOffset = NonNegative("offset", offset) ?? 0;
        return new Paging(parsedLimit, parsedOffset > int.MaxValue ? int.MaxValue : (int)parsedOffset);
    }

    private static ApiException Invalid(string name, string rule)
        => ApiException.BadRequest("invalid_query_parameter", $"Query parameter '{name}' {rule}", new Dictionary<string, object?> { ["parameter"] = name });
}

/// <summary>A page of a list; no limit means every row from the offset on.</summary>
internal readonly record struct Paging(int? Limit, int Offset)
{
    public static readonly Paging All = new(null, 0);

    public IQueryable<T> Apply<T>(IQueryable<T> query)
    {
        if (Offset > 0)
        {
            query = query.Skip(Offset);
        }

        return Limit is { } limit ? query.Take(limit) : query;
    }
}
