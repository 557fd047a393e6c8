using Brokkr.Shared.Auth;

namespace Brokkr.Host.Tests.Shared;

public sealed class CallerTests
{
    private static readonly Guid Id = Guid.Parse("0192a5b0-0000-7000-8000-000000000001");

    [Fact]
    public void Audit_entries_name_the_real_caller_and_admin_has_no_actor_id()
    {
        (Caller.Admin.ActorType, Caller.Admin.ActorId).ShouldBe(("admin", (Guid?)null));
        (new Caller(CallerKind.Admin, null, ReadOnly: true).ActorType, new Caller(CallerKind.Admin, null, ReadOnly: true).ActorId).ShouldBe(("admin", (Guid?)null));
        (new Caller(CallerKind.Agent, Id).ActorType, new Caller(CallerKind.Agent, Id).ActorId).ShouldBe(("agent", (Guid?)Id));
        (new Caller(CallerKind.Generator, Id).ActorType, new Caller(CallerKind.Generator, Id).ActorId).ShouldBe(("generator", (Guid?)Id));
    }
}
