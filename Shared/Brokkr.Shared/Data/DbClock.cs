using LinqToDB;
using LinqToDB.Data;

namespace Brokkr.Shared.Data;

/// <summary>Timestamps as PostgreSQL stores them.</summary>
public static class DbClock
{
    /// <summary>Now, at the microsecond precision PostgreSQL stores, so what is answered is what is stored.</summary>
    public static DateTime Now(TimeProvider time)
    {
        var ticks = time.GetUtcNow().UtcTicks;
        return new DateTime(ticks - (ticks % 10), DateTimeKind.Utc);
    }

    public static DataParameter Parameter(string name, DateTime value)
        => new(name, DateTime.SpecifyKind(value, DateTimeKind.Utc), DataType.DateTimeOffset);
}
