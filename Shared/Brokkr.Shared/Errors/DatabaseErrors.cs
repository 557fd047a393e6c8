using Npgsql;

namespace Brokkr.Shared.Errors;

/// <summary>Maps PostgreSQL constraint failures to the reference's envelope codes.</summary>
public static class DatabaseErrors
{
    public static ApiException? Map(Exception exception)
    {
        var pg = exception as PostgresException ?? exception.InnerException as PostgresException;
        if (pg is null)
        {
            return null;
        }

        var details = new Dictionary<string, object?> { ["constraint"] = pg.ConstraintName };
        return pg.SqlState switch
        {
            PostgresErrorCodes.UniqueViolation => ApiException.Conflict("unique_violation", "A record with these values already exists", details),
            PostgresErrorCodes.ForeignKeyViolation => ApiException.Unprocessable("foreign_key_violation", "A referenced record does not exist", details),
            PostgresErrorCodes.CheckViolation => ApiException.Unprocessable("check_violation", "A value is outside its allowed range", details),
            PostgresErrorCodes.NotNullViolation => ApiException.Unprocessable("not_null_violation", "A required value is missing", details),
            PostgresErrorCodes.StringDataRightTruncation => ApiException.BadRequest("value_too_long", "A value is longer than its column allows"),
            PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter
                => ApiException.BadRequest("invalid_text", "A value contains characters that cannot be stored"),
            _ => null,
        };
    }
}
