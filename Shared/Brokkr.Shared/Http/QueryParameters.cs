using System.Globalization;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;

namespace Brokkr.Shared.Http;

/// <summary>
/// Query values parsed as extraction errors: a value that does not parse or is out of range is a 400
/// <c>invalid_query_parameter</c> with <c>details.parameter</c>, before any caller check.
/// </summary>
public static class QueryParameters
{
    public const string InvalidCode = "invalid_query_parameter";

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

    public static bool? OptionalBool(string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return bool.TryParse(value, out var flag) ? flag : throw Invalid(name, "must be true or false");
    }

    /// <summary>Optional paging (compatibility.md "Add"): <c>limit</c> 1..1000, <c>offset</c> ≥ 0.</summary>
    public static Paging Paging(string? limit, string? offset)
    {
        int? parsedLimit = null;
        if (limit is not null)
        {
            parsedLimit = int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= Http.Paging.MaxLimit
                ? l
                : throw Invalid(Http.Paging.LimitName, $"must be an integer from 1 to {Http.Paging.MaxLimit}");
        }

        // An offset past every row gives an empty page, however large it is.
        var parsedOffset = NonNegative(Http.Paging.OffsetName, offset) ?? 0;
        return new Paging(parsedLimit, parsedOffset > int.MaxValue ? int.MaxValue : (int)parsedOffset);
    }

    public static ApiException Invalid(string name, string rule)
        => ApiException.BadRequest(InvalidCode, $"Query parameter '{name}' {rule}", new Dictionary<string, object?> { ["parameter"] = name });
}
