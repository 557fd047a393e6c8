using Brokkr.Host.Observability;
using Brokkr.Shared.Configuration;
using Brokkr.Shared.Data;
using LinqToDB;
using LinqToDB.DataProvider.PostgreSQL;
using Npgsql;

namespace Brokkr.Host.Data;

internal static class BrokkrData
{
    public static void AddBrokkrData(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<BrokkrSettings>();
            var connectionString = ConnectionStrings.ToNpgsql(settings.Database.Url, settings.Database.Schema);
            return new NpgsqlDataSourceBuilder(connectionString).Build();
        });
        builder.Services.AddSingleton(sp =>
        {
            var dataSource = sp.GetRequiredService<NpgsqlDataSource>();
            return new DataOptions().UsePostgreSQL(dataSource.ConnectionString, PostgreSQLVersion.v15, o => o)
                .UseInterceptor(sp.GetRequiredService<DatabaseMetrics>())
                .UseInterceptor(sp.GetRequiredService<DatabaseNotices>());
        });
        builder.Services.AddSingleton<DatabaseMetrics>();
        builder.Services.AddSingleton<DatabaseNotices>();
        builder.Services.AddScoped<BrokkrDb>();
        builder.Services.AddSingleton<ReadinessProbe>();
    }
}
