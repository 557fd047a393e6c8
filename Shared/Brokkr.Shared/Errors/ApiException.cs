namespace Brokkr.Shared.Errors;

/// <summary>A failure that maps to the error envelope with a given status and code.</summary>
public sealed class ApiException(int status, string code, string message, object? details = null) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public object? Details { get; } = details;

    public static ApiException BadRequest(string code, string message, object? details = null) => new(400, code, message, details);
    public static ApiException Unauthorized(string message = "Unauthorized") => new(401, "unauthorized", message);
    public static ApiException Forbidden(string code, string message) => new(403, code, message);
    public static ApiException NotFound(string code, string message) => new(404, code, message);
    public static ApiException Conflict(string code, string message, object? details = null) => new(409, code, message, details);
    public static ApiException Unprocessable(string code, string message, object? details = null) => new(422, code, message, details);
}
