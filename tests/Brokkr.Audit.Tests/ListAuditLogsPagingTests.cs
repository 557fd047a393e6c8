namespace Brokkr.Audit.Tests;

/// <summary>Order and paging of <c>GET /admin/audit-logs</c>: newest first, <c>limit</c> 100 by default and clamped to 1..1000.</summary>
public sealed class ListAuditLogsPagingTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly HttpClient _admin = api.Admin();

    /// <summary>1,005 entries one second apart under one resource type; returns it.</summary>
    private async Task<string> ManyAsync()
    {
        var scope = Scenario.Unique("rt");
        await api.ExecuteAsync(
            """
            INSERT INTO audit_logs ("timestamp", actor_type, action, resource_type, created_at)
            SELECT @base + make_interval(secs => n), 'system', 'bulk.entry', @scope, @base
            FROM generate_series(1, 1005) AS n
            """,
            ("base", AuditSeed.Base), ("scope", scope));
        return scope;
    }

    [Fact]
    public async Task Without_paging_parameters_then_the_newest_100_with_the_total()
    {
        var scope = await ManyAsync();

        var page = await _admin.AuditLogsAsync($"resource_type={scope}");

        page.ShouldHaveExactKeys("logs", "total", "count", "limit", "offset");
        page["total"]!.GetValue<long>().ShouldBe(1005);
        page["count"]!.GetValue<int>().ShouldBe(100);
        page["limit"]!.GetValue<long>().ShouldBe(100);
        page["offset"]!.GetValue<long>().ShouldBe(0);
        var timestamps = page["logs"]!.AsArray().Select(l => l!.Timestamp("timestamp")).ToList();
        timestamps[0].ShouldBe(AuditSeed.Base.AddSeconds(1005));
        timestamps.ShouldBeInOrder(SortDirection.Descending);
    }

    [Theory]
    [InlineData("limit=0", 1)]
    [InlineData("limit=-5", 1)]
    [InlineData("limit=5000", 1000)]
    [InlineData("limit=1000", 1000)]
    [InlineData("limit=7", 7)]
    public async Task Limit_is_clamped_to_1_through_1000(string limit, int expected)
    {
        var scope = await ManyAsync();

        var page = await _admin.AuditLogsAsync($"resource_type={scope}&{limit}");

        page["limit"]!.GetValue<long>().ShouldBe(expected);
        page["count"]!.GetValue<int>().ShouldBe(expected);
        page["total"]!.GetValue<long>().ShouldBe(1005);
    }

    [Fact]
    public async Task Offset_pages_through_the_entries_without_gaps_or_repeats()
    {
        var scope = await ManyAsync();

        var first = await _admin.AuditLogsAsync($"resource_type={scope}&limit=400");
        var second = await _admin.AuditLogsAsync($"resource_type={scope}&limit=400&offset=400");
        var third = await _admin.AuditLogsAsync($"resource_type={scope}&limit=400&offset=800");
        var beyond = await _admin.AuditLogsAsync($"resource_type={scope}&limit=400&offset=5000");

        var all = first.LogIds().Concat(second.LogIds()).Concat(third.LogIds()).ToList();
        all.Count.ShouldBe(1005);
        all.ShouldBeUnique();
        third["count"]!.GetValue<int>().ShouldBe(205);
        third["offset"]!.GetValue<long>().ShouldBe(800);
        second["logs"]![0]!.Timestamp("timestamp").ShouldBe(AuditSeed.Base.AddSeconds(605));
        beyond["logs"]!.AsArray().ShouldBeEmpty();
        beyond["count"]!.GetValue<int>().ShouldBe(0);
        beyond["total"]!.GetValue<long>().ShouldBe(1005);
    }

    [Fact]
    public async Task Entries_of_one_instant_keep_one_order_across_pages()
    {
        var scope = Scenario.Unique("rt");
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await api.InsertAsync(scope));
        }

        var pages = new List<Guid>();
        for (var offset = 0; offset < 6; offset += 2)
        {
            pages.AddRange((await _admin.AuditLogsAsync($"resource_type={scope}&limit=2&offset={offset}")).LogIds());
        }

        pages.ShouldBe(ids.OrderByDescending(id => id.ToString(), StringComparer.Ordinal).ToList());
    }
}
