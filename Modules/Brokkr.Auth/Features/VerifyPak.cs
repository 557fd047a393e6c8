using Brokkr.Shared.Auth;
using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Auth.Features;

/// <summary><c>POST /api/v1/auth/pak</c>: who am I.</summary>
public static class VerifyPak
{
    public sealed record Response(bool Admin, Guid? Agent, Guid? Generator, bool Readonly);

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/auth/pak", (Caller caller) => TypedResults.Ok(new Response(
                    caller.IsAdmin,
                    caller.IsAgent ? caller.Id : null,
                    caller.IsGenerator ? caller.Id : null,
                    caller.ReadOnly)))
                .WithTags("auth")
                .WithName("verify_pak")
                .WithSummary("Verify a PAK")
                .WithDescription("Returns the identity the presented PAK authenticates as.");
    }
}
