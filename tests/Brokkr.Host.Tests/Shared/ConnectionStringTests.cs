using Brokkr.Shared.Data;
using Npgsql;

namespace Brokkr.Host.Tests.Shared;

public sealed class ConnectionStringTests
{
    [Fact]
    public void Postgres_urls_are_converted_with_user_password_port_and_database()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionStrings.ToNpgsql("postgres://brokkr:p%40ss@db.example:5433/brokkr_db?sslmode=disable"));

        builder.Host.ShouldBe("db.example");
        builder.Port.ShouldBe(5433);
        builder.Username.ShouldBe("brokkr");
        builder.Password.ShouldBe("p@ss");
        builder.Database.ShouldBe("brokkr_db");
        builder.SslMode.ShouldBe(SslMode.Disable);
    }

    [Fact]
    public void Npgsql_connection_strings_are_accepted_and_the_schema_goes_on_the_search_path()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionStrings.ToNpgsql("Host=h;Username=u;Database=d", "tenant_a"));

        builder.Host.ShouldBe("h");
        builder.SearchPath.ShouldBe("tenant_a,public");
    }

    [Theory]
    [InlineData("tenant; DROP TABLE agents")]
    [InlineData("1tenant")]
    [InlineData("")]
    [InlineData("ten-ant")]
    [InlineData("tenant\"")]
    public void Schema_names_that_could_inject_are_refused(string schema)
        => Should.Throw<ArgumentException>(() => ConnectionStrings.ValidateSchema(schema));
}
